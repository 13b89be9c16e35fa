package dev.colony.server.core;

import java.util.Arrays;

/**
 * Up to {@link #MAX_ITEMS} neighbouring items of a queue, in serving order, in parallel arrays: an
 * item here costs its encoded payload plus 12 bytes (20 with a priority), where a tree node, a
 * record and a decoded protobuf message per item cost some 170 bytes more. Items sit in the middle
 * of the arrays, {@code [start, end)}, so that taking the head and adding at either end move
 * nothing.
 */
final class QueueItemBlock {
  /** Bounds what an insert or a removal in the middle copies. */
  static final int MAX_ITEMS = 1024;

  private static final int FIRST_CAPACITY = 8;

  private long[] seqs;

  /** Null when every priority is 0 (FIFO and LIFO queues). */
  private long[] priorities;

  private byte[][] payloads;
  private int start;
  private int end;

  /**
   * An empty block with room for a few items; it grows as they come, so that a queue of a few items
   * (the common case) and the thrash at a full block's edge (pushes and pops on a stack) stay
   * small.
   */
  QueueItemBlock(boolean withPriorities) {
    this(FIRST_CAPACITY, withPriorities);
  }

  private QueueItemBlock(int capacity, boolean withPriorities) {
    seqs = new long[capacity];
    priorities = withPriorities ? new long[capacity] : null;
    payloads = new byte[capacity][];
  }

  int size() {
    return end - start;
  }

  boolean isFull() {
    return size() == MAX_ITEMS;
  }

  long seq(int i) {
    return seqs[start + i];
  }

  long priority(int i) {
    return priorities == null ? 0 : priorities[start + i];
  }

  byte[] payload(int i) {
    return payloads[start + i];
  }

  /** Inserts an item so that it is the {@code i}-th; the block must not be full. */
  void insert(int i, long priority, long seq, byte[] payload) {
    int size = size();
    if (size == seqs.length) {
      resize(Math.min(MAX_ITEMS, seqs.length * 2));
    } else if ((i == 0 && start == 0) || (i == size && end == seqs.length)) {
      place((seqs.length - size) / 2); // so that both ends have room again
    }
    int at;
    if (start > 0 && (i < size - i || end == seqs.length)) {
      move(start, start - 1, i);
      start--;
      at = start + i;
    } else {
      at = start + i;
      move(at, at + 1, size - i);
      end++;
    }
    seqs[at] = seq;
    if (priorities != null) {
      priorities[at] = priority;
    }
    payloads[at] = payload;
  }

  /** Removes the {@code i}-th item, moving whichever side of it is shorter. */
  void remove(int i) {
    int size = size();
    if (i < size - 1 - i) {
      move(start, start + 1, i);
      payloads[start++] = null;
    } else {
      move(start + i + 1, start + i, size - 1 - i);
      payloads[--end] = null;
    }
  }

  /** Moves the later half of the items to a new block, which it returns. */
  QueueItemBlock splitOff() {
    QueueItemBlock upper = new QueueItemBlock(MAX_ITEMS, priorities != null);
    int from = start + size() / 2;
    upper.copyFrom(this, from, end);
    Arrays.fill(payloads, from, end, null);
    end = from;
    return upper;
  }

  /** Moves every item of {@code next}, which are all served after these, to the end of this one. */
  void takeAll(QueueItemBlock next) {
    int size = size() + next.size();
    if (size > MAX_ITEMS) {
      throw new IllegalArgumentException(size + " items do not fit in one block");
    }
    if (size > seqs.length) {
      resize(Integer.highestOneBit(size - 1) << 1);
    }
    if (start + size > seqs.length) {
      place((seqs.length - size) / 2);
    }
    copyFrom(next, next.start, next.end);
  }

  private void copyFrom(QueueItemBlock other, int from, int to) {
    int count = to - from;
    System.arraycopy(other.seqs, from, seqs, end, count);
    if (priorities != null) {
      System.arraycopy(other.priorities, from, priorities, end, count);
    }
    System.arraycopy(other.payloads, from, payloads, end, count);
    end += count;
  }

  private void move(int from, int to, int count) {
    System.arraycopy(seqs, from, seqs, to, count);
    if (priorities != null) {
      System.arraycopy(priorities, from, priorities, to, count);
    }
    System.arraycopy(payloads, from, payloads, to, count);
  }

  /** Moves the items, in place, to start at {@code newStart}. */
  private void place(int newStart) {
    int size = size();
    move(start, newStart, size);
    if (newStart < start) {
      Arrays.fill(payloads, Math.max(start, newStart + size), end, null);
    } else {
      Arrays.fill(payloads, start, Math.min(end, newStart), null);
    }
    start = newStart;
    end = newStart + size;
  }

  /** Moves the items to the middle of new arrays of {@code capacity}. */
  private void resize(int capacity) {
    int size = size();
    int newStart = (capacity - size) / 2;
    long[] newSeqs = new long[capacity];
    System.arraycopy(seqs, start, newSeqs, newStart, size);
    long[] newPriorities = null;
    if (priorities != null) {
      newPriorities = new long[capacity];
      System.arraycopy(priorities, start, newPriorities, newStart, size);
    }
    byte[][] newPayloads = new byte[capacity][];
    System.arraycopy(payloads, start, newPayloads, newStart, size);
    seqs = newSeqs;
    priorities = newPriorities;
    payloads = newPayloads;
    start = newStart;
    end = newStart + size;
  }
}
