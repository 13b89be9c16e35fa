package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.server.core.QueueItems.Item;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** HeldDeliveries against the insertion-ordered map it replaced. */
class HeldDeliveriesTest {

  @Test
  void randomDeliveriesAndAcks_matchAnInsertionOrderedMap() {
    HeldDeliveries held = new HeldDeliveries();
    LinkedHashMap<Long, Item> model = new LinkedHashMap<>();
    Random random = new Random(7);
    long nextId = 1;
    for (int step = 0; step < 50_000; step++) {
      boolean growing = (step / 5_000) % 2 == 0;
      if (model.isEmpty() || random.nextInt(100) < (growing ? 65 : 35)) {
        long id = nextId;
        nextId += 1 + random.nextInt(3); // other queues' deliveries take ids in between
        Item item = new Item(new byte[] {(byte) id}, 0, id);
        held.add(id, item);
        model.put(id, item);
      } else {
        List<Long> ids = new ArrayList<>(model.keySet());
        // Mostly the oldest, as consumers acknowledge, sometimes any.
        long id = ids.get(random.nextBoolean() ? 0 : random.nextInt(ids.size()));
        assertTrue(held.contains(id));
        assertSame(model.remove(id), held.remove(id));
        assertFalse(held.contains(id));
        assertNull(held.remove(id));
      }
      assertEquals(model.size(), held.size());
    }
    assertEquals(new ArrayList<>(model.values()), held.items());
    List<Long> visited = new ArrayList<>();
    held.forEach((id, item) -> visited.add(id));
    assertEquals(new ArrayList<>(model.keySet()), visited);
  }

  @Test
  void add_ofAnOlderId_isRefused() {
    HeldDeliveries held = new HeldDeliveries();
    held.add(5, new Item(new byte[0], 0, 0));
    assertThrows(IllegalArgumentException.class, () -> held.add(5, new Item(new byte[0], 0, 1)));
  }
}
