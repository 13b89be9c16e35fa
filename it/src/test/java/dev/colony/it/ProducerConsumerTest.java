package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.client.QueueOptions;
import dev.colony.it.apps.ConsumerApp;
import dev.colony.it.apps.ProducerApp;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Producer and consumer JVMs share one bounded Queue. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProducerConsumerTest {

  private static final int MAX_SIZE = 5;
  private static final int PRODUCERS = 3;
  private static final int CONSUMERS = 3;
  private static final int PER_PRODUCER = 300;
  private static final String POISON = "POISON";
  private static final Duration RUN = Duration.ofSeconds(90);

  private static CoordinatorProcess coordinator;

  @BeforeAll
  static void startCoordinator() throws TimeoutException {
    coordinator = CoordinatorProcess.start();
  }

  @AfterAll
  static void stopCoordinator() {
    coordinator.close();
  }

  @Test
  void producerAndConsumerJvms_consumeEveryItemOnceInPerProducerOrder() throws Exception {
    try (ColonyClient client = Colony.connect(coordinator.target());
        ProcessGroup consumers = new ProcessGroup();
        ProcessGroup producers = new ProcessGroup()) {
      ColonyQueue<String> queue = boundedQueue(client, "jobs");
      String max = String.valueOf(MAX_SIZE);
      for (int c = 0; c < CONSUMERS; c++) {
        consumers.add(
            JavaProcess.start(
                "consumer", ConsumerApp.class, coordinator.target(), "jobs", max, POISON));
      }
      for (int p = 0; p < PRODUCERS; p++) {
        producers.add(
            JavaProcess.start(
                "producer",
                ProducerApp.class,
                coordinator.target(),
                "jobs",
                max,
                String.valueOf(p),
                String.valueOf(PER_PRODUCER)));
      }
      for (JavaProcess producer : producers.processes()) {
        assertEquals(0, producer.waitFor(RUN), producer + " exit code");
      }
      for (int c = 0; c < CONSUMERS; c++) {
        queue.put(POISON);
      }
      Set<String> consumed = new HashSet<>();
      int total = 0;
      for (JavaProcess consumer : consumers.processes()) {
        assertEquals(0, consumer.waitFor(RUN), consumer + " exit code");
        List<String> got = new ArrayList<>();
        for (String line : consumer.lines()) {
          if (line.startsWith("GOT ")) {
            got.add(line.substring(4));
          }
        }
        assertPerProducerOrder(consumer, got);
        total += got.size();
        consumed.addAll(got);
      }
      assertEquals(PRODUCERS * PER_PRODUCER, total, "items consumed, duplicates included");
      assertEquals(PRODUCERS * PER_PRODUCER, consumed.size(), "distinct items consumed");
      assertNull(queue.poll());
    }
  }

  @Test
  void put_onFullQueue_timesOutOrBlocksUntilAnotherSessionTakes() throws Exception {
    try (ColonyClient producer = Colony.connect(coordinator.target());
        ColonyClient consumer = Colony.connect(coordinator.target())) {
      ColonyQueue<String> full = boundedQueue(producer, "full");
      for (int i = 0; i < MAX_SIZE; i++) {
        assertTrue(full.offer("item-" + i));
      }
      assertFalse(full.offer("refused", 100, TimeUnit.MILLISECONDS));
      CompletableFuture<Void> blockedPut =
          CompletableFuture.runAsync(
              () -> {
                try {
                  full.put("late");
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      // The queue is full and nobody takes: the put must still be blocked after a while.
      assertThrows(TimeoutException.class, () -> blockedPut.get(200, TimeUnit.MILLISECONDS));
      ColonyQueue<String> taker = boundedQueue(consumer, "full");
      assertEquals("item-0", taker.take());
      blockedPut.get(10, TimeUnit.SECONDS);
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < MAX_SIZE; i++) {
        rest.add(taker.poll(5, TimeUnit.SECONDS));
      }
      assertEquals(List.of("item-1", "item-2", "item-3", "item-4", "late"), rest);
    }
  }

  private static ColonyQueue<String> boundedQueue(ColonyClient client, String name) {
    return client.queue(name, String.class, QueueOptions.fifo().withMaxSize(MAX_SIZE));
  }

  private static void assertPerProducerOrder(JavaProcess consumer, List<String> got) {
    Map<String, Integer> last = new HashMap<>();
    for (String item : got) {
      String[] parts = item.split("-");
      int n = Integer.parseInt(parts[1]);
      Integer previous = last.put(parts[0], n);
      assertTrue(
          previous == null || previous < n,
          consumer + " took " + item + " after " + parts[0] + "-" + previous);
    }
  }
}
