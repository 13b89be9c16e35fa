/**
 * The tasks that {@code colony demo} runs on its workers. They are public with public no-arg
 * constructors because a worker creates them by class name; the workers of the demo's local cluster
 * run in the demo's JVM, so these classes are on their classpath.
 */
package dev.colony.cli.demo;
