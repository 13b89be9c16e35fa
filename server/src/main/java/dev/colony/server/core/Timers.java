package dev.colony.server.core;

import java.util.PriorityQueue;

/**
 * Deadlines in order. Entries that stopped being live are dropped lazily when they reach the head,
 * so serving a waiter never has to search this queue.
 */
final class Timers {
  private final PriorityQueue<Timed> queue =
      new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));

  void schedule(Timed timed, long deadline) {
    timed.deadline = deadline;
    if (deadline != Timed.NEVER) {
      timed.scheduled = true;
      queue.add(timed);
    }
  }

  /** Fires every live entry whose deadline is at or before {@code now}. */
  void fireDue(long now) {
    Timed head;
    while ((head = queue.peek()) != null && head.deadline <= now) {
      queue.poll();
      head.scheduled = false;
      if (head.isLive()) {
        head.fire(now);
      }
    }
  }

  /** The earliest pending deadline, or {@link Timed#NEVER}. */
  long next() {
    Timed head;
    while ((head = queue.peek()) != null && !head.isLive()) {
      queue.poll();
      head.scheduled = false;
    }
    return head == null ? Timed.NEVER : head.deadline;
  }

  int size() {
    return queue.size();
  }
}
