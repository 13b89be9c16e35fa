package dev.colony.it.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyQueue;
import dev.colony.it.apps.CounterApp;
import dev.colony.it.apps.FencedTurnsApp;
import dev.colony.it.apps.NumberConsumerApp;
import dev.colony.it.apps.NumberProducerApp;
import dev.colony.it.support.ConsumedNumbers;
import dev.colony.it.support.CoordinatorGroup;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import dev.colony.it.support.TestNetwork;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.ClusterStatus;
import dev.colony.proto.v1.StatusRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three coordinator JVMs, each in its own network namespace, and the leader's links to the other
 * two cut (blackhole routes, both ways) while clients in the root namespace still reach all three:
 * the two elect a new leader and serve the load (queue producer and consumer, counter, lock turns),
 * whose clients leave the cut-off member and follow them on their own while the cut lasts. The
 * cut-off leader steps down and answers nothing meanwhile: a client that only knows its address
 * gets no read (not even the value from before the cut) and no write, and the write it tried is
 * never applied. When the cut heals the old leader follows the new one and catches up. Every queue
 * item is consumed exactly once, the counter is exact and no fencing token is granted twice or goes
 * backwards, across both leaders.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NetworkCutTest {
  private static final int ITEMS = 1_200;
  private static final int THREADS = 2;
  private static final int INCREMENTS = 800;
  private static final int TURNS = 150;
  private static final Duration RUN = Duration.ofSeconds(150);
  private static final String QUEUE = "numbers";

  /**
   * How long the client of the cut-off leader waits per call, and to reconnect, before it fails:
   * short, so each refused call costs the test little. The checks hold for any value.
   */
  private static final Duration PROBE_PATIENCE = Duration.ofSeconds(2);

  /** Bound on one probe call, well beyond its own timeouts: a call still running then hangs. */
  private static final Duration PROBE_BOUND = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  @Test
  void aLeaderCutOffFromTheOthers_isReplaced_answersNothing_andRejoinsAsAFollower()
      throws Exception {
    String unsupported = TestNetwork.unsupportedReason();
    assumeTrue(
        unsupported == null, () -> "skipped, network namespaces unavailable: " + unsupported);
    try (TestNetwork network = TestNetwork.create(3);
        CoordinatorGroup group = CoordinatorGroup.start(network, dataDir, "--sync", "batch");
        ProcessGroup consumers = new ProcessGroup();
        ProcessGroup apps = new ProcessGroup()) {
      String leader = group.awaitLeader();
      List<String> others = new ArrayList<>(List.of("n1", "n2", "n3"));
      others.remove(leader);
      String targets = group.targets();

      JavaProcess consumer =
          consumers.add(
              JavaProcess.start(
                  "consumer",
                  NumberConsumerApp.class.getName(),
                  List.of(targets, QUEUE, String.valueOf(THREADS)),
                  false));
      consumer.awaitLineStartingWith("READY", RUN);
      JavaProcess producer =
          apps.add(
              JavaProcess.start(
                  "producer",
                  NumberProducerApp.class.getName(),
                  List.of(targets, QUEUE, "0", String.valueOf(ITEMS), String.valueOf(THREADS)),
                  false));
      JavaProcess counter =
          apps.add(
              JavaProcess.start(
                  "counter",
                  CounterApp.class.getName(),
                  List.of(targets, "hits", String.valueOf(INCREMENTS), String.valueOf(THREADS)),
                  false));
      JavaProcess locker =
          apps.add(
              JavaProcess.start(
                  "locker",
                  FencedTurnsApp.class.getName(),
                  List.of(targets, "turns", String.valueOf(TURNS)),
                  false));

      ColonyClient viaOldLeader = connect(group.target(leader), PROBE_PATIENCE);
      try {
        // Its calls give up after 2 s, which a loaded machine may take before the cut too: tries
        // again until the old leader has served this client a write and a read.
        await("probe set to 1 and read back through " + leader + " before the cut")
            .atMost(RUN)
            .ignoreException(ColonyException.class)
            .until(
                () -> {
                  viaOldLeader.atomicLong("probe").set(1);
                  return viaOldLeader.atomicLong("probe").get() == 1;
                });

        ConsumedNumbers.await(consumers, ITEMS / 5, RUN);
        await("a fifth of the increments")
            .atMost(RUN)
            .until(() -> numbers(counter, "INC ").size() >= INCREMENTS / 5);

        network.cut(
            group.namespaceOf(leader), others.stream().mapToInt(group::namespaceOf).toArray());
        int consumed = ConsumedNumbers.of(consumer).size();
        int increments = numbers(counter, "INC ").size();
        int turns = numbers(locker, "TOKEN ").size();
        String next = group.awaitLeaderAmong(others);
        assertNotEquals(leader, next);
        // The apps' clients were on the cut-off leader, which knows of no other: they must find
        // the new one while the cut lasts, not when it heals (their leases would run out).
        awaitProgress("consumer", () -> ConsumedNumbers.of(consumer).size(), consumed, ITEMS, next);
        awaitProgress(
            "counter", () -> numbers(counter, "INC ").size(), increments, INCREMENTS, next);
        awaitProgress("locker", () -> numbers(locker, "TOKEN ").size(), turns, TURNS, next);
        try (ColonyClient viaMajority =
            connect(group.target(others.get(0)) + "," + group.target(others.get(1)), null)) {
          // Acknowledged by the majority: from now on 1 is a stale value.
          viaMajority.atomicLong("probe").set(2);
        }

        CompletableFuture<String> read =
            attempt(() -> viaOldLeader.atomicLong("probe").get(), "read");
        CompletableFuture<String> write =
            attempt(() -> viaOldLeader.atomicLong("written-in-cut").incrementAndGet(), "write");
        assertRefused(read, "a read through the cut-off " + leader);
        assertRefused(write, "a write through the cut-off " + leader);

        await(leader + ", cut off, stops leading (it hears no majority)")
            .atMost(CoordinatorGroup.LEADER_TIMEOUT)
            .until(
                () -> {
                  ClusterStatus view = group.cluster(leader);
                  return view != null && !view.getLeaderId().equals(leader);
                });
        assertRefused(
            attempt(() -> viaOldLeader.atomicLong("probe").get(), "read"),
            "a read through " + leader + " after it stopped leading");
      } finally {
        viaOldLeader.close();
      }

      network.heal();
      String after = group.awaitLeader();
      group.awaitCaughtUp(after, leader);
      await(leader + " itself says " + after + " leads")
          .atMost(CoordinatorGroup.LEADER_TIMEOUT)
          .until(() -> refusalOf(group, leader).contains("the leader is " + after));
      try (ColonyClient again = connect(group.target(leader), null)) {
        assertEquals(
            2,
            again.atomicLong("probe").get(),
            "probe read through "
                + leader
                + " after the heal (it sends the client to "
                + after
                + ")");
        assertEquals(
            0,
            again.atomicLong("written-in-cut").get(),
            "the write tried through the cut-off leader was never applied");
      }

      assertEquals(0, producer.waitFor(RUN), "producer exit code");
      assertEquals(0, counter.waitFor(RUN), "counter exit code");
      assertEquals(0, locker.waitFor(RUN), "locker exit code");
      try (ColonyClient poisoner = Colony.connect(group.targets())) {
        ColonyQueue<Long> queue = poisoner.queue(QUEUE, Long.class);
        for (int i = 0; i < THREADS; i++) {
          queue.put(-1L);
        }
        assertEquals(0, consumer.waitFor(RUN), "consumer exit code");
        assertNull(queue.poll(), "left in the queue");
      }
      ConsumedNumbers.assertEachExactlyOnce(consumers, ITEMS);

      List<Long> returned = new ArrayList<>(numbers(counter, "INC "));
      returned.sort(null);
      assertEquals(
          LongStream.rangeClosed(1, INCREMENTS).boxed().toList(),
          returned,
          "the values incrementAndGet returned are 1.." + INCREMENTS + ", each once");
      List<Long> tokens = numbers(locker, "TOKEN ");
      assertEquals(TURNS, tokens.size(), "turns on the lock");
      for (int i = 1; i < tokens.size(); i++) {
        assertTrue(tokens.get(i) > tokens.get(i - 1), "tokens go forward: " + tokens);
      }
      assertEquals(TURNS, new HashSet<>(tokens).size(), "no token granted twice");
    }
  }

  /** Waits for an app to do more than {@code before} (or all its {@code total}) steps. */
  private static void awaitProgress(
      String app, Callable<Integer> steps, int before, int total, String leader) {
    await("the " + app + " app going on through " + leader + " while the cut lasts")
        .atMost(RUN)
        .until(
            () -> {
              int now = steps.call();
              return now > before || now == total;
            });
  }

  /** A client of {@code target}; with {@code patience}, calls and reconnects give up after it. */
  private static ColonyClient connect(String target, Duration patience) {
    ColonyOptions.Builder options = ColonyOptions.newBuilder().setTarget(target);
    if (patience != null) {
      options.setCallTimeout(patience).setReconnectTimeout(patience);
    }
    return Colony.connect(options.build());
  }

  /**
   * Runs {@code call} on a thread of its own (not a shared pool, which may have one thread on a
   * small machine); completes with what it returned, or its failure.
   */
  private static CompletableFuture<String> attempt(Callable<Object> call, String what) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(what + " returned " + call.call());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "probe-" + what);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /** The call must fail, as the client's own timeouts make it: no answer, and no hang. */
  private static void assertRefused(CompletableFuture<String> call, String what)
      throws InterruptedException {
    String answered;
    try {
      answered = call.get(PROBE_BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " neither answered nor failed within " + PROBE_BOUND, e);
    } catch (ExecutionException e) {
      assertTrue(
          e.getCause() instanceof ColonyException,
          () -> what + " failed, but not as a refused call: " + e.getCause());
      return;
    }
    fail(what + " was answered: " + answered);
  }

  /** The description of node {@code id}'s refusal of a status call, or "" if it answers. */
  private static String refusalOf(CoordinatorGroup group, String id) {
    String[] hostPort = group.target(id).split(":");
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                hostPort[0], Integer.parseInt(hostPort[1]), InsecureChannelCredentials.create())
            .build();
    try {
      AdminServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance());
      return "";
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      return status.getCode() + ": " + status.getDescription();
    } finally {
      channel.shutdownNow();
    }
  }

  private static List<Long> numbers(JavaProcess process, String prefix) {
    List<Long> numbers = new ArrayList<>();
    for (String line : process.lines()) {
      if (line.startsWith(prefix)) {
        numbers.add(Long.parseLong(line.substring(prefix.length())));
      }
    }
    return numbers;
  }
}
