package dev.colony.server.core;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The items of a queue in serving order, for one of Python's three queue kinds. Every item has a
 * rank ({@code priority}, {@code seq}) that fixes its place for as long as it is here, so that a
 * paged read can resume after an item even when items before it were taken meanwhile: adding,
 * taking, finding and removing are O(log n), and taking the head or adding at either end moves
 * nothing.
 *
 * <p>A million queued items must fit in a modest heap, so items are not objects here: they are kept
 * in blocks of parallel arrays ({@link QueueItemBlock}), sorted, each payload as its encoded bytes.
 * {@link Item} is only what goes in and comes out.
 */
final class QueueItems {

  /**
   * One item: its payload as the encoded Payload message (exactly what was put, unknown fields
   * too), and its rank; {@code seq} is unique within the queue and orders equal priorities. The
   * bytes are never changed once encoded, so a reply may share them.
   */
  record Item(byte[] encoded, long priority, long seq) {
    static Item of(Payload payload, long priority, long seq) {
      return new Item(payload.toByteArray(), priority, seq);
    }

    /** A key for finding the item at a rank; never stored. */
    static Item at(long priority, long seq) {
      return new Item(null, priority, seq);
    }

    /** The payload, whose data shares the encoded bytes rather than copying them. */
    Payload payload() {
      // Wrapped, the bytes count as immutable, which aliasing needs.
      CodedInputStream input = UnsafeByteOperations.unsafeWrap(encoded).newCodedInput();
      input.enableAliasing(true);
      try {
        return Payload.parseFrom(input);
      } catch (IOException e) {
        throw new IllegalStateException("a queued item's own encoding does not parse", e);
      }
    }
  }

  private final QueueKind kind;

  /** Consecutive runs of the items in serving order; none is empty. */
  private final List<QueueItemBlock> blocks = new ArrayList<>();

  private int size;
  private long encodedBytes;
  private long tailSeq;
  private long headSeq;

  private QueueItems(QueueKind kind) {
    this.kind = kind;
  }

  static QueueItems of(QueueKind kind) {
    return new QueueItems(
        kind == QueueKind.LIFO || kind == QueueKind.PRIORITY ? kind : QueueKind.FIFO);
  }

  /** A new item, served after every item of equal rank already here (before them on a stack). */
  Item newItem(Payload payload, long priority) {
    return Item.of(payload, priority, tailSeq++);
  }

  /** Adds an item put by a producer. */
  void add(Item item) {
    insert(item.priority(), item.seq(), item.encoded());
  }

  /**
   * Puts an item back so that it is served next (among equal priorities, for a priority queue).
   * Items given back one after another are served in the reverse order, so callers give back the
   * last one first.
   */
  void addFirst(Item item) {
    // A stack serves the highest seq first: pushes and items given back both get a new one.
    long seq = kind == QueueKind.LIFO ? tailSeq++ : --headSeq;
    insert(item.priority(), seq, item.encoded());
  }

  /** The next item to serve, removed; null if empty. */
  Item poll() {
    return size == 0 ? null : removeAt(0, 0);
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The encoded payloads' bytes, summed over every item. */
  long encodedBytes() {
    return encodedBytes;
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
    Position from = after == null ? new Position(0, 0) : find(after, true);
    List<Item> page = new ArrayList<>(Math.min(max, size));
    long bytes = 0;
    for (int b = from.block(), i = from.index(); b < blocks.size(); b++, i = 0) {
      QueueItemBlock block = blocks.get(b);
      for (; i < block.size(); i++) {
        if (page.size() == max || (!page.isEmpty() && bytes >= byteBudget)) {
          return page;
        }
        page.add(itemAt(block, i));
        bytes += block.payload(i).length;
      }
    }
    return page;
  }

  /** Whether any item is served after the rank {@code after}. */
  boolean hasAfter(Item after) {
    return find(after, true).block() < blocks.size();
  }

  /** Removes the item at this rank and returns it; null if none is there. */
  Item remove(Item rank) {
    Position at = find(rank, false);
    if (at.block() == blocks.size()
        || compare(blocks.get(at.block()), at.index(), rank.priority(), rank.seq()) != 0) {
      return null;
    }
    return removeAt(at.block(), at.index());
  }

  /** Removes every item. */
  void clear() {
    blocks.clear();
    size = 0;
    encodedBytes = 0;
  }

  // ---- snapshots ------------------------------------------------------------------------

  /** Every item, the next to serve first. */
  void forEach(Consumer<Item> action) {
    for (QueueItemBlock block : blocks) {
      for (int i = 0; i < block.size(); i++) {
        action.accept(itemAt(block, i));
      }
    }
  }

  /** Replaces the contents with {@code inServingOrder} and the counters that number new items. */
  void restore(List<Item> inServingOrder, long tailSeq, long headSeq) {
    if (size > 0) {
      throw new IllegalStateException("restore into a queue that has items");
    }
    this.tailSeq = tailSeq;
    this.headSeq = headSeq;
    if (kind == QueueKind.LIFO && !servedByRank(inServingOrder)) {
      // Written before a stack ordered its items by seq (an item given back had a negative seq):
      // number them again, oldest first, so that they keep their order.
      for (int i = inServingOrder.size() - 1; i >= 0; i--) {
        Item item = inServingOrder.get(i);
        add(new Item(item.encoded(), item.priority(), this.tailSeq++));
      }
      return;
    }
    inServingOrder.forEach(this::add);
  }

  private boolean servedByRank(List<Item> inServingOrder) {
    for (int i = 1; i < inServingOrder.size(); i++) {
      Item before = inServingOrder.get(i - 1);
      Item item = inServingOrder.get(i);
      if (compare(before.priority(), before.seq(), item.priority(), item.seq()) >= 0) {
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

  // ---- the blocks -----------------------------------------------------------------------

  /** An item's place: the {@code index}-th of block {@code block}; past the end if no block. */
  private record Position(int block, int index) {}

  /** Serving order: a stack serves the highest seq first, a priority queue the lowest priority. */
  private int compare(long priority, long seq, long otherPriority, long otherSeq) {
    return switch (kind) {
      case LIFO -> Long.compare(otherSeq, seq);
      case PRIORITY ->
          priority != otherPriority
              ? Long.compare(priority, otherPriority)
              : Long.compare(seq, otherSeq);
      default -> Long.compare(seq, otherSeq);
    };
  }

  private int compare(QueueItemBlock block, int i, long priority, long seq) {
    return compare(block.priority(i), block.seq(i), priority, seq);
  }

  /** The first item served after {@code rank} ({@code after}), or at or after it (not). */
  private Position find(Item rank, boolean after) {
    long priority = rank.priority();
    long seq = rank.seq();
    int low = 0;
    int high = blocks.size();
    while (low < high) { // the first block whose last item qualifies
      int mid = (low + high) >>> 1;
      QueueItemBlock block = blocks.get(mid);
      int c = compare(block, block.size() - 1, priority, seq);
      if (after ? c > 0 : c >= 0) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    if (low == blocks.size()) {
      return new Position(low, 0);
    }
    QueueItemBlock block = blocks.get(low);
    int first = 0;
    int last = block.size() - 1;
    while (first < last) {
      int mid = (first + last) >>> 1;
      int c = compare(block, mid, priority, seq);
      if (after ? c > 0 : c >= 0) {
        last = mid;
      } else {
        first = mid + 1;
      }
    }
    return new Position(low, first);
  }

  private void insert(long priority, long seq, byte[] encoded) {
    boolean withPriorities = kind == QueueKind.PRIORITY;
    size++;
    encodedBytes += encoded.length;
    if (blocks.isEmpty()) {
      QueueItemBlock first = new QueueItemBlock(withPriorities);
      first.insert(0, priority, seq, encoded);
      blocks.add(first);
      return;
    }
    Position at = find(Item.at(priority, seq), false);
    int b = at.block();
    int i = at.index();
    if (b == blocks.size()) {
      b--;
      i = blocks.get(b).size();
    }
    QueueItemBlock block = blocks.get(b);
    if (block.isFull()) {
      if (b == blocks.size() - 1 && i == block.size()) {
        // After the tail (a put to a FIFO): a new last block, so that blocks stay full.
        block = new QueueItemBlock(withPriorities);
        blocks.add(block);
        i = 0;
      } else if (b == 0 && i == 0) {
        // Before the head (a push to a stack): a new first block.
        block = new QueueItemBlock(withPriorities);
        blocks.add(0, block);
      } else {
        QueueItemBlock later = block.splitOff();
        blocks.add(b + 1, later);
        if (i > block.size()) {
          i -= block.size();
          block = later;
        }
      }
    }
    block.insert(i, priority, seq, encoded);
  }

  private Item removeAt(int b, int i) {
    QueueItemBlock block = blocks.get(b);
    Item item = itemAt(block, i);
    block.remove(i);
    size--;
    encodedBytes -= item.encoded().length;
    if (block.size() == 0) {
      blocks.remove(b);
    } else if (block.size() < QueueItemBlock.MAX_ITEMS / 4) {
      mergeWithNeighbour(b);
    }
    return item;
  }

  /**
   * Merges a block grown sparse with a neighbour, when the two fit in three quarters of a block:
   * removals in the middle would otherwise leave many near-empty blocks, each with its arrays.
   */
  private void mergeWithNeighbour(int b) {
    int room = QueueItemBlock.MAX_ITEMS * 3 / 4;
    QueueItemBlock block = blocks.get(b);
    if (b > 0 && blocks.get(b - 1).size() + block.size() <= room) {
      blocks.get(b - 1).takeAll(block);
      blocks.remove(b);
    } else if (b + 1 < blocks.size() && block.size() + blocks.get(b + 1).size() <= room) {
      block.takeAll(blocks.get(b + 1));
      blocks.remove(b + 1);
    }
  }

  private static Item itemAt(QueueItemBlock block, int i) {
    return new Item(block.payload(i), block.priority(i), block.seq(i));
  }
}
