package dev.colony.server.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Deadlines in order. Entries that stopped being live are dropped lazily when they reach the head,
 * so serving a waiter never has to search this queue. Equal deadlines fire in the order they were
 * scheduled: each entry gets a sequence number from a counter, which a snapshot keeps, so the
 * firing order is the same after a restore.
 */
final class Timers {
  private static final Comparator<Timed> ORDER =
      Comparator.<Timed>comparingLong(t -> t.deadline).thenComparingLong(t -> t.seq);

  private final PriorityQueue<Timed> queue = new PriorityQueue<>(ORDER);
  private long nextSeq;

  void schedule(Timed timed, long deadline) {
    timed.deadline = deadline;
    if (deadline != Timed.NEVER) {
      timed.scheduled = true;
      timed.seq = nextSeq++;
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

  // ---- snapshots ------------------------------------------------------------------------

  /** The sequence number the next scheduled entry gets. */
  long nextSeq() {
    return nextSeq;
  }

  /** The live entries in firing order; entries no longer live are never fired, so they are left. */
  List<Timed> liveInOrder() {
    List<Timed> live = new ArrayList<>(queue.size());
    for (Timed timed : queue) {
      if (timed.isLive()) {
        live.add(timed);
      }
    }
    live.sort(ORDER);
    return live;
  }

  /** Puts back an entry as a snapshot had it; {@code nextSeq} must be restored as well. */
  void restore(Timed timed, long deadline, long seq) {
    if (deadline == Timed.NEVER || timed.scheduled) {
      throw new IllegalStateException("a restored timer must have a deadline and be new");
    }
    timed.deadline = deadline;
    timed.seq = seq;
    timed.scheduled = true;
    queue.add(timed);
  }

  void restoreNextSeq(long nextSeq) {
    this.nextSeq = nextSeq;
  }
}
