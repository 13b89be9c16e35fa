package dev.colony.client;

/**
 * An item taken from a queue with explicit acknowledgement. Until {@link #ack()} the item is held
 * by this client's session: if the session ends first (the client crashed or closed) the item goes
 * back to the head of the queue, so no item is lost in a consumer that dies.
 */
public interface Delivery<T> {
  T value();

  /** The item was processed: remove it for good. */
  void ack();

  /** Give the item back: it returns to the head of the queue. */
  void nack();
}
