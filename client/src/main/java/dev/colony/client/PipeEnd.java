package dev.colony.client;

import java.io.EOFException;
import java.util.concurrent.TimeUnit;

/**
 * One end of a named pipe, like a Python {@code multiprocessing.connection.Connection}: what one
 * end sends the other receives, in order. Built on two coordinator queues, {@code <name>.a-to-b}
 * and {@code <name>.b-to-a}; {@link #close()} leaves an end-of-stream marker so the other end's
 * {@link #recv()} throws {@link EOFException} once it has read everything sent before.
 *
 * <p>Thread-safe, but meant for one reader and one writer per end.
 *
 * @param <T> the type of the messages
 */
public interface PipeEnd<T> extends AutoCloseable {

  /** The pipe's name. */
  String name();

  /** Which end this is. */
  PipeSide side();

  /**
   * Sends a message to the other end; never blocks on the reader (the queue is unbounded).
   *
   * @throws IllegalStateException if this end is closed, or it is the receiving end of a one-way
   *     pipe
   */
  void send(T message);

  /**
   * Waits for the next message from the other end.
   *
   * @throws EOFException when the other end closed and every message it sent was received
   * @throws IllegalStateException if this end is closed, or it is the sending end of a one-way pipe
   */
  T recv() throws EOFException, InterruptedException;

  /**
   * Waits up to {@code timeout} for something to read: true when {@link #recv()} would not block (a
   * message, or the end of the stream), false on timeout. Consumes nothing.
   */
  boolean poll(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Closes this end: the other end's {@code recv} throws {@link EOFException} after it has read
   * what was sent. Idempotent.
   */
  @Override
  void close();
}
