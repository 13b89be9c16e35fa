package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueKind;
import dev.colony.server.core.QueueItems.Item;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * QueueItems against a tree of the same ranks, the layout it replaced: thousands of random
 * operations, so that items cross block boundaries, blocks split, merge and empty.
 */
class QueueItemsTest {

  /** What the model keeps of an item. */
  private record Ref(long priority, long seq, String text) {}

  private static Comparator<Ref> servingOrder(QueueKind kind) {
    return switch (kind) {
      case LIFO -> Comparator.comparingLong(Ref::seq).reversed();
      case PRIORITY -> Comparator.comparingLong(Ref::priority).thenComparingLong(Ref::seq);
      default -> Comparator.comparingLong(Ref::seq);
    };
  }

  private static Payload payload(String text) {
    return Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8(text)).build();
  }

  private static Ref ref(Item item) {
    return new Ref(item.priority(), item.seq(), item.payload().getData().toStringUtf8());
  }

  @ParameterizedTest
  @EnumSource(
      value = QueueKind.class,
      names = {"FIFO", "LIFO", "PRIORITY"})
  void randomOperations_keepTheTreeOrder(QueueKind kind) {
    QueueItems items = QueueItems.of(kind);
    TreeSet<Ref> model = new TreeSet<>(servingOrder(kind));
    Random random = new Random(kind.getNumber());
    long tailSeq = 0;
    long headSeq = 0;
    int named = 0;
    for (int round = 0; round < 4; round++) {
      boolean growing = round % 2 == 0;
      for (int step = 0; step < 5_000; step++) {
        int op = random.nextInt(100);
        if (op < (growing ? 60 : 25)) {
          long priority = kind == QueueKind.PRIORITY ? random.nextInt(8) : 0;
          String text = "item-" + named++ + "x".repeat(random.nextInt(20));
          items.add(items.newItem(payload(text), priority));
          model.add(new Ref(priority, tailSeq++, text));
        } else if (op < (growing ? 70 : 45)) {
          Item polled = items.poll();
          Ref expected = model.pollFirst();
          assertEquals(expected, polled == null ? null : ref(polled));
          if (polled != null && random.nextBoolean()) { // given back, served next
            items.addFirst(polled);
            long seq = kind == QueueKind.LIFO ? tailSeq++ : --headSeq;
            model.add(new Ref(expected.priority(), seq, expected.text()));
          }
        } else if (op < 85) {
          Ref target = randomIn(model, random);
          if (target != null) {
            Item removed = items.remove(Item.at(target.priority(), target.seq()));
            assertEquals(target, ref(removed));
            model.remove(target);
            assertNull(items.remove(Item.at(target.priority(), target.seq())));
          }
        } else {
          Ref after = random.nextInt(4) == 0 ? null : randomIn(model, random);
          int max = 1 + random.nextInt(300);
          List<Ref> expected = new ArrayList<>();
          for (Ref r : after == null ? model : model.tailSet(after, false)) {
            if (expected.size() == max) {
              break;
            }
            expected.add(r);
          }
          Item afterRank = after == null ? null : Item.at(after.priority(), after.seq());
          assertEquals(
              expected,
              items.page(afterRank, max, Long.MAX_VALUE).stream()
                  .map(QueueItemsTest::ref)
                  .toList());
          if (after != null) {
            assertEquals(model.higher(after) != null, items.hasAfter(afterRank));
          }
        }
        assertEquals(model.size(), items.size());
      }
      assertEquals(new ArrayList<>(model), contents(items));
      long bytes = 0;
      for (Ref r : model) {
        bytes += payload(r.text()).getSerializedSize();
      }
      assertEquals(bytes, items.encodedBytes());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = QueueKind.class,
      names = {"FIFO", "LIFO", "PRIORITY"})
  void restore_ofManyItems_servesThemInTheSameOrder(QueueKind kind) {
    QueueItems items = QueueItems.of(kind);
    for (int i = 0; i < 5_000; i++) {
      items.add(items.newItem(payload("item-" + i), i % 7));
    }
    List<Item> written = new ArrayList<>();
    items.forEach(written::add);
    QueueItems restored = QueueItems.of(kind);
    restored.restore(written, items.tailSeq(), items.headSeq());
    assertEquals(contents(items), contents(restored));
    List<Ref> polled = new ArrayList<>();
    for (Item item; (item = restored.poll()) != null; ) {
      polled.add(ref(item));
    }
    assertEquals(contents(items), polled);
    assertEquals(0, restored.encodedBytes());
  }

  @Test
  void payload_comesBackExactly_unknownFieldsToo() {
    Payload put =
        Payload.newBuilder()
            .setCodec("bytes")
            .setData(ByteString.copyFrom(new byte[] {0, 1, 2}))
            .setUnknownFields(
                com.google.protobuf.UnknownFieldSet.newBuilder()
                    .addField(
                        99,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                    .build())
            .build();
    QueueItems items = QueueItems.of(QueueKind.FIFO);
    items.add(items.newItem(put, 0));
    assertEquals(put, items.poll().payload());
  }

  private static Ref randomIn(TreeSet<Ref> model, Random random) {
    if (model.isEmpty()) {
      return null;
    }
    int skip = random.nextInt(model.size());
    for (Ref r : model) {
      if (skip-- == 0) {
        return r;
      }
    }
    throw new AssertionError();
  }

  private static List<Ref> contents(QueueItems items) {
    List<Ref> all = new ArrayList<>();
    items.forEach(item -> all.add(ref(item)));
    return all;
  }
}
