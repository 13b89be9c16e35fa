package dev.colony.it.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyProcess;
import dev.colony.client.ColonyQueue;
import dev.colony.client.Pool;
import dev.colony.it.workers.tasks.Consume;
import dev.colony.it.workers.tasks.PipePing;
import dev.colony.it.workers.tasks.PipePong;
import dev.colony.it.workers.tasks.Produce;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tasks on worker JVMs talking to each other through coordinator objects (their colony()). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TasksSharingObjectsTest {

  private static final long WAIT_SECONDS = 60;

  private static WorkerCluster cluster;
  private static ColonyClient client;

  @BeforeAll
  static void startCluster() throws TimeoutException {
    cluster = WorkerCluster.start(2);
    client = cluster.newClient();
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void producerAndConsumerTasks_shareAQueue_everyItemIsConsumedExactlyOnce() throws Exception {
    String queueName = cluster.name("jobs");
    List<Consume.Consumed> consumed = new ArrayList<>();
    // Four tasks, four slots: the consumers wait on the queue while the producers fill it.
    try (Pool pool = client.pool()) {
      CompletableFuture<Consume.Consumed> first = pool.applyAsync(Consume.class, queueName);
      CompletableFuture<Consume.Consumed> second = pool.applyAsync(Consume.class, queueName);
      CompletableFuture<Integer> low =
          pool.applyAsync(Produce.class, new Produce.Batch(queueName, 0, 100));
      CompletableFuture<Integer> high =
          pool.applyAsync(Produce.class, new Produce.Batch(queueName, 1000, 100));
      assertEquals(100, low.get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals(100, high.get(WAIT_SECONDS, TimeUnit.SECONDS));
      ColonyQueue<Integer> queue = client.queue(queueName, Integer.class);
      queue.put(Consume.STOP);
      queue.put(Consume.STOP);
      consumed.add(first.get(WAIT_SECONDS, TimeUnit.SECONDS));
      consumed.add(second.get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertTrue(queue.isEmpty());
    }

    List<Integer> expected =
        Stream.concat(IntStream.range(0, 100).boxed(), IntStream.range(1000, 1100).boxed())
            .toList();
    assertEquals(
        expected,
        consumed.stream().flatMap(c -> c.items().stream()).sorted().toList(),
        "every item once");
    for (Consume.Consumed c : consumed) {
      // FIFO: whatever a consumer got from one producer came in the order it was put.
      List<Integer> fromLow = c.items().stream().filter(i -> i < 1000).toList();
      List<Integer> fromHigh = c.items().stream().filter(i -> i >= 1000).toList();
      assertEquals(fromLow.stream().sorted().toList(), fromLow);
      assertEquals(fromHigh.stream().sorted().toList(), fromHigh);
      assertTrue(
          cluster.connectedWorkerIds().contains(c.workerId()), "consumed on " + c.workerId());
    }
  }

  @Test
  void pipePingPong_betweenTwoTaskProcesses_endsWithEof() throws Exception {
    String pipe = cluster.name("rally");
    int rounds = 20;
    ColonyProcess<Integer> pong = client.process(PipePong.class, pipe);
    ColonyProcess<Integer> ping = client.process(PipePing.class, new PipePing.Rally(pipe, rounds));
    pong.start();
    ping.start();

    assertTrue(ping.join(WAIT_SECONDS, TimeUnit.SECONDS));
    // Pong ends only because ping closed its end: its recv threw EOFException.
    assertTrue(pong.join(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(2 * rounds - 1, ping.result(), "the last answer ping got");
    assertEquals(rounds, pong.result(), "numbers pong received before EOF");
    assertEquals(0, ping.exitCode());
    assertEquals(0, pong.exitCode());
  }
}
