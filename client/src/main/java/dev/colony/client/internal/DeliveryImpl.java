package dev.colony.client.internal;

import dev.colony.client.Delivery;
import java.util.concurrent.atomic.AtomicBoolean;

/** One held queue item; settles exactly once. */
final class DeliveryImpl<T> implements Delivery<T> {
  interface Settler {
    void settle(long deliveryId, boolean requeue);
  }

  private final T value;
  private final long deliveryId;
  private final Settler settler;
  private final AtomicBoolean settled = new AtomicBoolean();

  DeliveryImpl(T value, long deliveryId, Settler settler) {
    this.value = value;
    this.deliveryId = deliveryId;
    this.settler = settler;
  }

  @Override
  public T value() {
    return value;
  }

  @Override
  public void ack() {
    settle(false);
  }

  @Override
  public void nack() {
    settle(true);
  }

  private void settle(boolean requeue) {
    if (!settled.compareAndSet(false, true)) {
      throw new IllegalStateException("delivery " + deliveryId + " was already acked or nacked");
    }
    settler.settle(deliveryId, requeue);
  }

  @Override
  public String toString() {
    return "Delivery[" + deliveryId + ": " + value + "]";
  }
}
