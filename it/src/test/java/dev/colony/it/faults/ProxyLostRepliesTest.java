package dev.colony.it.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyQueue;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.FaultyProxy;
import dev.colony.proto.v1.QueueInfoResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections that die right after a request went out (so its reply is lost) cost retries, never
 * correctness: every call is re-sent with its id and answered from the coordinator's retry cache.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ProxyLostRepliesTest {

  private static final double DROP_PROBABILITY = 0.05;
  private static final long SEED = 20240611L;
  private static final Duration WORK_BOUND = Duration.ofMinutes(5);

  private static CoordinatorProcess coordinator;

  @BeforeAll
  static void startCoordinator() throws TimeoutException {
    coordinator = CoordinatorProcess.start();
  }

  @AfterAll
  static void stopCoordinator() {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Test
  void increments_throughDroppingProxy_endAtExactlyTheirNumber() throws Exception {
    int threads = 4;
    int perThread = 1_250;
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    try (FaultyProxy proxy = FaultyProxy.start(coordinator.target(), SEED);
        ColonyClient client = Colony.connect(viaProxy(proxy));
        ColonyClient direct = Colony.connect(coordinator.target())) {
      ColonyAtomicLong counter = client.atomicLong("lost-replies.counter");
      assertEquals(0, counter.get());
      proxy.setDropProbability(DROP_PROBABILITY);

      List<Future<long[]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            workers.submit(
                () -> {
                  long[] seen = new long[perThread];
                  for (int i = 0; i < perThread; i++) {
                    seen[i] = counter.incrementAndGet();
                  }
                  return seen;
                }));
      }
      List<Long> returned = new ArrayList<>();
      for (Future<long[]> result : results) {
        for (long value : result.get(WORK_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
          returned.add(value);
        }
      }
      proxy.setDropProbability(0);

      int total = threads * perThread;
      assertEquals(total, direct.atomicLong("lost-replies.counter").get(), "the final count");
      // Each increment was applied once and its caller got its own result, even when re-sent.
      returned.sort(null);
      assertEquals(
          LongStream.rangeClosed(1, total).boxed().collect(Collectors.toList()),
          returned,
          "the values incrementAndGet returned");
      assertTrue(proxy.drops() > 50, "the proxy dropped only " + proxy.drops() + " connections");
      System.out.printf(
          "increments: %d drops over %d connections%n", proxy.drops(), proxy.connections());
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void queue_throughDroppingProxy_losesAndDuplicatesNothing() throws Exception {
    int items = 1_000;
    String name = "lost-replies.queue";
    ExecutorService producerThread = Executors.newSingleThreadExecutor();
    try (FaultyProxy proxy = FaultyProxy.start(coordinator.target(), SEED + 1);
        ColonyClient producer = Colony.connect(viaProxy(proxy));
        ColonyClient consumer = Colony.connect(viaProxy(proxy));
        QueueProbe probe = new QueueProbe(coordinator.target())) {
      ColonyQueue<Long> out = producer.queue(name, Long.class);
      ColonyQueue<Long> in = consumer.queue(name, Long.class);
      proxy.setDropProbability(DROP_PROBABILITY);

      Future<?> produced =
          producerThread.submit(
              () -> {
                for (long i = 0; i < items; i++) {
                  out.put(i);
                }
                return null;
              });
      List<Long> taken = new ArrayList<>(items);
      for (int i = 0; i < items; i++) {
        Long item = in.poll(WORK_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(item != null, "item #" + i + " did not come within " + WORK_BOUND);
        taken.add(item);
      }
      produced.get(WORK_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      proxy.setDropProbability(0);

      // One producer, one consumer, FIFO: exactly 0..N-1 in order (nothing lost, duplicated or
      // reordered by a re-sent put or get).
      assertEquals(
          LongStream.range(0, items).boxed().collect(Collectors.toList()), taken, "items taken");
      // The acknowledgements are one-way: they reach the coordinator soon after, re-sent if lost.
      await("queue '" + name + "' empty with nothing delivered and unacknowledged")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                QueueInfoResponse info = probe.info(name);
                return info.getSize() == 0 && info.getUnacked() == 0;
              });
      assertEquals(null, in.poll(), "an extra item after all " + items);
      assertTrue(proxy.drops() > 50, "the proxy dropped only " + proxy.drops() + " connections");
      System.out.printf(
          "queue: %d drops over %d connections%n", proxy.drops(), proxy.connections());
    } finally {
      producerThread.shutdownNow();
    }
  }

  private static ColonyOptions viaProxy(FaultyProxy proxy) {
    return ColonyOptions.newBuilder().setTarget(proxy.target()).build();
  }
}
