package dev.colony.server.core;

import dev.colony.server.core.QueueItems.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The items of one queue that one session took and has not yet acknowledged, by delivery id, in
 * delivery order. Delivery ids grow with every delivery, so that order is the ids' order: the ids
 * sit in a sorted array, found by binary search, and an acknowledgement leaves a hole, closed once
 * holes outnumber the items. A held item costs 12 to 24 bytes here (the arrays grow by doubling)
 * besides its {@link Item}, where a map entry and a boxed id cost some 60.
 */
final class HeldDeliveries {

  /** What {@link #forEach} hands over. */
  @FunctionalInterface
  interface Visitor {
    void visit(long deliveryId, Item item);
  }

  private long[] ids = new long[4];

  /** Null where the delivery was acknowledged (a hole). */
  private Item[] items = new Item[4];

  private int start;
  private int end;
  private int size;

  /** Holds a delivery; its id must be greater than every id held so far. */
  void add(long deliveryId, Item item) {
    if (end > start && deliveryId <= ids[end - 1]) {
      throw new IllegalArgumentException(
          "delivery " + deliveryId + " is not after delivery " + ids[end - 1]);
    }
    if (end == ids.length) {
      compact(Math.max(ids.length, 2 * size + 2));
    }
    ids[end] = deliveryId;
    items[end++] = item;
    size++;
  }

  boolean contains(long deliveryId) {
    return indexOf(deliveryId) >= 0;
  }

  /** Removes a delivery and returns its item; null if it is not held. */
  Item remove(long deliveryId) {
    int i = indexOf(deliveryId);
    if (i < 0) {
      return null;
    }
    Item item = items[i];
    items[i] = null;
    size--;
    while (start < end && items[start] == null) {
      start++;
    }
    while (end > start && items[end - 1] == null) {
      end--;
    }
    if (end - start - size > Math.max(size, 8)) {
      compact(ids.length);
    }
    return item;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Every held item, in delivery order. */
  List<Item> items() {
    List<Item> held = new ArrayList<>(size);
    forEach((id, item) -> held.add(item));
    return held;
  }

  /** Every held delivery, in delivery order. */
  void forEach(Visitor visitor) {
    for (int i = start; i < end; i++) {
      if (items[i] != null) {
        visitor.visit(ids[i], items[i]);
      }
    }
  }

  private int indexOf(long deliveryId) {
    int i = Arrays.binarySearch(ids, start, end, deliveryId);
    return i >= 0 && items[i] != null ? i : -1;
  }

  /** Moves the held deliveries, holes closed, to the front of arrays of {@code capacity}. */
  private void compact(int capacity) {
    long[] newIds = capacity == ids.length ? ids : new long[capacity];
    Item[] newItems = capacity == items.length ? items : new Item[capacity];
    int to = 0;
    for (int i = start; i < end; i++) {
      if (items[i] != null) {
        newIds[to] = ids[i];
        newItems[to++] = items[i];
      }
    }
    if (newItems == items) {
      Arrays.fill(items, to, end, null); // moved down, or acknowledged
    }
    ids = newIds;
    items = newItems;
    start = 0;
    end = to;
  }
}
