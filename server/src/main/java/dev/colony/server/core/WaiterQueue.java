package dev.colony.server.core;

import java.util.Iterator;
import java.util.LinkedHashSet;

/** FIFO waiters of one object, with O(1) removal for timeouts and cancellations. */
public final class WaiterQueue<W extends Waiter> implements Iterable<W> {
  private final LinkedHashSet<W> waiters = new LinkedHashSet<>();

  public void add(W waiter) {
    waiters.add(waiter);
  }

  public boolean remove(W waiter) {
    return waiters.remove(waiter);
  }

  public boolean contains(W waiter) {
    return waiters.contains(waiter);
  }

  public W peek() {
    return waiters.isEmpty() ? null : waiters.iterator().next();
  }

  public W poll() {
    Iterator<W> it = waiters.iterator();
    if (!it.hasNext()) {
      return null;
    }
    W first = it.next();
    it.remove();
    return first;
  }

  public boolean isEmpty() {
    return waiters.isEmpty();
  }

  public int size() {
    return waiters.size();
  }

  @Override
  public Iterator<W> iterator() {
    return waiters.iterator();
  }
}
