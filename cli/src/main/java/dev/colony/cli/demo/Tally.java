package dev.colony.cli.demo;

/** How many numbers a consumer took from the queue, and their sum. Travels as JSON. */
public record Tally(long count, long sum) {}
