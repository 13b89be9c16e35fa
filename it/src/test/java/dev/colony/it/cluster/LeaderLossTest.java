package dev.colony.it.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.client.Pool;
import dev.colony.it.apps.NumberConsumerApp;
import dev.colony.it.apps.NumberProducerApp;
import dev.colony.it.durability.tasks.HeldAcrossOutage;
import dev.colony.it.durability.tasks.SquareWithMark;
import dev.colony.it.support.ConsumedNumbers;
import dev.colony.it.support.CoordinatorGroup;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import dev.colony.it.workers.WorkerProcess;
import dev.colony.proto.v1.ClusterNodeStatus;
import dev.colony.proto.v1.ClusterStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three coordinator JVMs as one group, its leader SIGKILLed mid-run: the other two elect a new
 * leader, and everyone given the three addresses follows it on their own. Producer and consumer
 * JVMs sharing a queue: every item is consumed exactly once. Counter JVMs: the values
 * incrementAndGet returned are 1..N, each once. JVMs taking turns on a lock: no fencing token is
 * granted twice or goes backwards. Worker JVMs running a pool: the map completes in order, and
 * tasks held across the loss ran once, on the worker whose result came back. Then the killed node
 * starts again on its data directory and catches up.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LeaderLossTest {
  private static final int PRODUCERS = 2;
  private static final int CONSUMERS = 2;
  private static final int PER_PRODUCER = 3_000;
  private static final int TOTAL = PRODUCERS * PER_PRODUCER;
  private static final int THREADS = 2;
  private static final Duration RUN = Duration.ofSeconds(150);
  private static final String QUEUE = "numbers";
  private static final int ITEMS = 600;
  private static final int COUNTERS = 2;
  private static final int INCREMENTS = 600;
  private static final int LOCKERS = 2;
  private static final int TURNS = 150;
  private static final int HELD = 2;

  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void leaderSigkilledMidRun_queueItemsAreConsumedOnce_andThePoolCompletes() throws Exception {
    try (CoordinatorGroup group = CoordinatorGroup.start(3, dataDir, "--sync", "batch");
        ProcessGroup consumers = new ProcessGroup();
        ProcessGroup producers = new ProcessGroup();
        ProcessGroup counters = new ProcessGroup();
        ProcessGroup lockers = new ProcessGroup()) {
      String leader = group.awaitLeader();
      String targets = group.targets();
      try (WorkerProcess first = WorkerProcess.launch("worker-a", targets);
          WorkerProcess second = WorkerProcess.launch("worker-b", targets);
          ColonyClient client = Colony.connect(targets);
          Pool heldPool = client.pool();
          Pool mapPool = client.pool()) {
        first.awaitConnected();
        second.awaitConnected();
        run(group, leader, targets, consumers, producers, counters, lockers, heldPool, mapPool);
      }
    }
  }

  private void run(
      CoordinatorGroup group,
      String leader,
      String targets,
      ProcessGroup consumers,
      ProcessGroup producers,
      ProcessGroup counters,
      ProcessGroup lockers,
      Pool heldPool,
      Pool mapPool)
      throws Exception {
    ClusterStatus cluster = group.cluster(leader);
    assertEquals(3, cluster.getNodesCount(), cluster::toString);
    await("every node announced its pid to the group")
        .atMost(CoordinatorGroup.LEADER_TIMEOUT)
        .until(
            () ->
                group.cluster(leader).getNodesList().stream()
                    .allMatch(n -> n.getPid() == group.process(n.getId()).pid()));

    String dir = files.toString();
    List<CompletableFuture<HeldAcrossOutage.Ran>> held = new ArrayList<>();
    for (int n = 0; n < HELD; n++) {
      held.add(heldPool.applyAsync(HeldAcrossOutage.class, new HeldAcrossOutage.Job(dir, n)));
    }
    awaitFiles("started-", "the held tasks start on workers");
    List<SquareWithMark.Item> items =
        LongStream.range(0, ITEMS)
            .mapToObj(n -> new SquareWithMark.Item(dir, ITEMS / 4, n))
            .toList();
    FutureTask<List<Long>> mapping =
        new FutureTask<>(() -> mapPool.map(SquareWithMark.class, items));
    Thread caller = new Thread(mapping, "map-caller");
    caller.setDaemon(true);
    caller.start();

    for (int c = 0; c < CONSUMERS; c++) {
      consumers
          .add(
              JavaProcess.start(
                  "consumer", NumberConsumerApp.class, targets, QUEUE, String.valueOf(THREADS)))
          .awaitLineStartingWith("READY", RUN);
    }
    for (int p = 0; p < PRODUCERS; p++) {
      producers.add(
          JavaProcess.start(
              "producer",
              NumberProducerApp.class,
              targets,
              QUEUE,
              String.valueOf((long) p * PER_PRODUCER),
              String.valueOf(PER_PRODUCER),
              String.valueOf(THREADS)));
    }

    ConsumedNumbers.await(consumers, TOTAL / 3, RUN);
    await("item " + ITEMS / 4 + " of the map runs")
        .atMost(RUN)
        .until(() -> Files.exists(files.resolve("mark-" + ITEMS / 4)));
    group.kill(leader);
    Files.createFile(files.resolve("release"));
    String next = group.awaitLeader();
    assertNotEquals(leader, next);
    ClusterStatus after = group.cluster(next);
    ClusterNodeStatus dead =
        after.getNodesList().stream().filter(n -> n.getId().equals(leader)).findFirst().get();
    assertEquals(group.process(leader).pid(), dead.getPid(), "the lost node is still a member");

    for (JavaProcess producer : producers.processes()) {
      assertEquals(0, producer.waitFor(RUN), producer + " exit code");
    }
    try (ColonyClient poisoner = Colony.connect(targets)) {
      ColonyQueue<Long> queue = poisoner.queue(QUEUE, Long.class);
      for (int i = 0; i < CONSUMERS * THREADS; i++) {
        queue.put(-1L);
      }
      for (JavaProcess consumer : consumers.processes()) {
        assertEquals(0, consumer.waitFor(RUN), consumer + " exit code");
      }
      assertNull(queue.poll(), "left in the queue");
    }

    ConsumedNumbers.assertEachExactlyOnce(consumers, TOTAL);

    assertEquals(
        LongStream.range(0, ITEMS).map(n -> n * n).boxed().toList(),
        mapping.get(RUN.toSeconds(), TimeUnit.SECONDS),
        "map results in item order");
    for (int n = 0; n < HELD; n++) {
      HeldAcrossOutage.Ran ran = held.get(n).get(RUN.toSeconds(), TimeUnit.SECONDS);
      assertEquals(
          List.of(ran.workerId() + " " + ran.workerPid() + " 1"),
          Files.readAllLines(files.resolve("runs-" + n)),
          "held task " + n + " ran once, on the worker whose result came back");
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

  private void awaitFiles(String prefix, String what) {
    await(what + " (" + HELD + " files " + prefix + "*)")
        .atMost(RUN)
        .until(
            () -> {
              try (var listing = Files.list(files)) {
                return listing.filter(p -> p.getFileName().toString().startsWith(prefix)).count()
                    == HELD;
              }
            });
  }
}
