package dev.colony.server.core;

import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The items of a queue in serving order, for one of Python's three queue kinds. Adding and taking
 * are O(1) (FIFO, LIFO) or O(log n) (PRIORITY).
 */
abstract class QueueItems {

  /** One stored item; {@code seq} orders equal priorities (lower first). */
  record Item(Payload payload, long priority, long seq) {}

  private static final Comparator<Item> PRIORITY_ORDER =
      Comparator.comparingLong(Item::priority).thenComparingLong(Item::seq);

  static QueueItems of(QueueKind kind) {
    return switch (kind) {
      case LIFO -> new Lifo();
      case PRIORITY -> new Priority();
      default -> new Fifo();
    };
  }

  private long tailSeq;
  private long headSeq;

  /** A new item, served after every item of equal rank already here. */
  final Item newItem(Payload payload, long priority) {
    return new Item(payload, priority, tailSeq++);
  }

  /** Adds an item put by a producer. */
  abstract void add(Item item);

  /**
   * Puts an item back so that it is served next (among equal priorities, for a priority queue).
   * Items given back one after another are served in the reverse order, so callers give back the
   * last one first.
   */
  final void addFirst(Item item) {
    addAtHead(new Item(item.payload(), item.priority(), --headSeq));
  }

  abstract void addAtHead(Item item);

  /** The next item to serve, removed; null if empty. */
  abstract Item poll();

  abstract int size();

  final boolean isEmpty() {
    return size() == 0;
  }

  // ---- snapshots ------------------------------------------------------------------------

  /** Every item, the next to serve first. */
  abstract List<Item> inServingOrder();

  /** Replaces the contents with {@code inServingOrder} and the counters that number new items. */
  final void restore(List<Item> inServingOrder, long tailSeq, long headSeq) {
    if (size() != 0) {
      throw new IllegalStateException("restore into a queue that has items");
    }
    this.tailSeq = tailSeq;
    this.headSeq = headSeq;
    for (Item item : inServingOrder) {
      addLastServed(item);
    }
  }

  /** Adds an item served after every item here. */
  abstract void addLastServed(Item item);

  long tailSeq() {
    return tailSeq;
  }

  long headSeq() {
    return headSeq;
  }

  private static final class Fifo extends QueueItems {
    private final ArrayDeque<Item> items = new ArrayDeque<>();

    @Override
    void add(Item item) {
      items.addLast(item);
    }

    @Override
    void addAtHead(Item item) {
      items.addFirst(item);
    }

    @Override
    Item poll() {
      return items.pollFirst();
    }

    @Override
    List<Item> inServingOrder() {
      return new ArrayList<>(items);
    }

    @Override
    void addLastServed(Item item) {
      items.addLast(item);
    }

    @Override
    int size() {
      return items.size();
    }
  }

  /** A stack: the head is the most recently added end. */
  private static final class Lifo extends QueueItems {
    private final ArrayDeque<Item> items = new ArrayDeque<>();

    @Override
    void add(Item item) {
      items.addLast(item);
    }

    @Override
    void addAtHead(Item item) {
      items.addLast(item);
    }

    @Override
    Item poll() {
      return items.pollLast();
    }

    @Override
    List<Item> inServingOrder() {
      List<Item> order = new ArrayList<>(items.size());
      items.descendingIterator().forEachRemaining(order::add);
      return order;
    }

    @Override
    void addLastServed(Item item) {
      items.addFirst(item);
    }

    @Override
    int size() {
      return items.size();
    }
  }

  private static final class Priority extends QueueItems {
    private final PriorityQueue<Item> items = new PriorityQueue<>(PRIORITY_ORDER);

    @Override
    void add(Item item) {
      items.add(item);
    }

    @Override
    void addAtHead(Item item) {
      items.add(item);
    }

    @Override
    Item poll() {
      return items.poll();
    }

    @Override
    List<Item> inServingOrder() {
      List<Item> order = new ArrayList<>(items);
      order.sort(PRIORITY_ORDER);
      return order;
    }

    @Override
    void addLastServed(Item item) {
      items.add(item);
    }

    @Override
    int size() {
      return items.size();
    }
  }
}
