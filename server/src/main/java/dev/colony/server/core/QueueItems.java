package dev.colony.server.core;

import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The items of a queue in serving order, for one of Python's three queue kinds. Every item has a
 * rank ({@code priority}, {@code seq}) that fixes its place for as long as it is here, so that a
 * paged read can resume after an item even when items before it were taken meanwhile: adding,
 * taking, finding and removing are O(log n).
 */
final class QueueItems {

  /** One stored item; {@code seq} is unique within the queue and orders equal priorities. */
  record Item(Payload payload, long priority, long seq) {
    /** A key for finding the item at a rank; never stored. */
    static Item at(long priority, long seq) {
      return new Item(null, priority, seq);
    }
  }

  private static final Comparator<Item> BY_SEQ = Comparator.comparingLong(Item::seq);
  private static final Comparator<Item> PRIORITY_ORDER =
      Comparator.comparingLong(Item::priority).thenComparingLong(Item::seq);

  private final QueueKind kind;
  private final NavigableSet<Item> items;
  private long tailSeq;
  private long headSeq;

  private QueueItems(QueueKind kind, Comparator<Item> servingOrder) {
    this.kind = kind;
    this.items = new TreeSet<>(servingOrder);
  }

  static QueueItems of(QueueKind kind) {
    return switch (kind) {
      // A stack serves the highest seq first: pushes and items given back both get a new one.
      case LIFO -> new QueueItems(kind, BY_SEQ.reversed());
      case PRIORITY -> new QueueItems(kind, PRIORITY_ORDER);
      default -> new QueueItems(QueueKind.FIFO, BY_SEQ);
    };
  }

  /** A new item, served after every item of equal rank already here (before them on a stack). */
  Item newItem(Payload payload, long priority) {
    return new Item(payload, priority, tailSeq++);
  }

  /** Adds an item put by a producer. */
  void add(Item item) {
    items.add(item);
  }

  /**
   * Puts an item back so that it is served next (among equal priorities, for a priority queue).
   * Items given back one after another are served in the reverse order, so callers give back the
   * last one first.
   */
  void addFirst(Item item) {
    long seq = kind == QueueKind.LIFO ? tailSeq++ : --headSeq;
    items.add(new Item(item.payload(), item.priority(), seq));
  }

  /** The next item to serve, removed; null if empty. */
  Item poll() {
    return items.pollFirst();
  }

  int size() {
    return items.size();
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  // ---- reading and removing in place ------------------------------------------------------

  /** Whether some item of this queue had this seq at some time (a cursor it could have issued). */
  boolean issued(long seq) {
    return seq >= headSeq && seq < tailSeq;
  }

  /**
   * Up to {@code max} items in serving order, starting after the rank {@code after} (null: at the
   * head), and stopping early once they hold {@code byteBudget} bytes (but never before one item).
   */
  List<Item> page(Item after, int max, long byteBudget) {
    NavigableSet<Item> rest = after == null ? items : items.tailSet(after, false);
    List<Item> page = new ArrayList<>(Math.min(max, rest.size()));
    long bytes = 0;
    for (Item item : rest) {
      if (page.size() == max || (!page.isEmpty() && bytes >= byteBudget)) {
        break;
      }
      page.add(item);
      bytes += item.payload().getSerializedSize();
    }
    return page;
  }

  /** Whether any item is served after the rank {@code after}. */
  boolean hasAfter(Item after) {
    return items.higher(after) != null;
  }

  /** Removes the item at this rank and returns it; null if none is there. */
  Item remove(Item rank) {
    Item found = items.ceiling(rank);
    if (found == null || items.comparator().compare(found, rank) != 0) {
      return null;
    }
    items.remove(found);
    return found;
  }

  /** Removes every item and returns them. */
  List<Item> clear() {
    List<Item> removed = new ArrayList<>(items);
    items.clear();
    return removed;
  }

  // ---- snapshots ------------------------------------------------------------------------

  /** Every item, the next to serve first. */
  List<Item> inServingOrder() {
    return new ArrayList<>(items);
  }

  /** Replaces the contents with {@code inServingOrder} and the counters that number new items. */
  void restore(List<Item> inServingOrder, long tailSeq, long headSeq) {
    if (!items.isEmpty()) {
      throw new IllegalStateException("restore into a queue that has items");
    }
    this.tailSeq = tailSeq;
    this.headSeq = headSeq;
    if (kind == QueueKind.LIFO && !servedBySeq(inServingOrder)) {
      // Written before a stack ordered its items by seq (an item given back had a negative seq):
      // number them again, oldest first, so that they keep their order.
      for (int i = inServingOrder.size() - 1; i >= 0; i--) {
        Item item = inServingOrder.get(i);
        items.add(newItem(item.payload(), item.priority()));
      }
      return;
    }
    items.addAll(inServingOrder);
  }

  private boolean servedBySeq(List<Item> inServingOrder) {
    for (int i = 1; i < inServingOrder.size(); i++) {
      if (items.comparator().compare(inServingOrder.get(i - 1), inServingOrder.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  long tailSeq() {
    return tailSeq;
  }

  long headSeq() {
    return headSeq;
  }
}
