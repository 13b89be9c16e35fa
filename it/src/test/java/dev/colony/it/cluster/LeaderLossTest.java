package dev.colony.it.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.client.Pool;
import dev.colony.it.apps.RecordedClientsApp;
import dev.colony.it.durability.tasks.HeldAcrossOutage;
import dev.colony.it.durability.tasks.SquareWithMark;
import dev.colony.it.support.CoordinatorGroup;
import dev.colony.it.support.History;
import dev.colony.it.support.HistoryChecker;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import dev.colony.it.workers.WorkerProcess;
import dev.colony.proto.v1.ClusterNodeStatus;
import dev.colony.proto.v1.ClusterStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three coordinator JVMs as one group under load, its leader SIGKILLed three times in one run: each
 * time the other two elect a new leader, every client given the three addresses follows it on its
 * own and the load goes on, then the killed node starts again on its data directory and catches up,
 * so the group is three again before the next kill. Client JVMs record every operation's invocation
 * and outcome ({@link History}): four clients putting numbers into a queue and four taking them,
 * four incrementing a counter, two taking turns on a lock and writing the fencing token they got to
 * a list while holding it. {@link HistoryChecker} then checks the recorded histories: every
 * acknowledged item taken exactly once, the counter at exactly the acknowledged increments, no
 * fencing token granted twice or going backwards and no two holders overlapping. Worker JVMs
 * running a pool across the first kill: the map completes in order, and tasks held across it ran
 * once, on the worker whose result came back.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LeaderLossTest {
  private static final int KILLS = 3;
  private static final int PRODUCERS = 4;
  private static final int CONSUMERS = 4;
  private static final int COUNTER_CLIENTS = 4;
  private static final int LOCK_CLIENTS = 2;

  /** Operations a second each client starts at most (lock turns for the lock clients). */
  private static final int RATE = 25;

  private static final int TURN_RATE = 10;

  /**
   * Acknowledged operations each client JVM must add before a kill and again after it: enough to
   * show the load runs on the leader of the moment, few enough to keep the run short.
   */
  private static final long PROGRESS = 20;

  private static final Duration RUN = Duration.ofSeconds(150);
  private static final String QUEUE = "numbers";
  private static final String COUNTER = "hits";
  private static final String LOCK = "turns";
  private static final int ITEMS = 200;
  private static final int HELD = 2;

  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void leaderSigkilledThreeTimesUnderLoad_historiesCheckOut_andThePoolCompletes() throws Exception {
    try (CoordinatorGroup group = CoordinatorGroup.start(3, dataDir, "--sync", "batch");
        ProcessGroup consumers = new ProcessGroup();
        ProcessGroup writers = new ProcessGroup()) {
      String leader = group.awaitLeader();
      String targets = group.targets();
      try (WorkerProcess first = WorkerProcess.launch("worker-a", targets);
          WorkerProcess second = WorkerProcess.launch("worker-b", targets);
          ColonyClient client = Colony.connect(targets);
          Pool heldPool = client.pool();
          Pool mapPool = client.pool()) {
        first.awaitConnected();
        second.awaitConnected();
        run(group, leader, targets, consumers, writers, client, heldPool, mapPool);
      }
    }
  }

  private void run(
      CoordinatorGroup group,
      String firstLeader,
      String targets,
      ProcessGroup consumers,
      ProcessGroup writers,
      ColonyClient client,
      Pool heldPool,
      Pool mapPool)
      throws Exception {
    ClusterStatus cluster = group.cluster(firstLeader);
    assertEquals(3, cluster.getNodesCount(), cluster::toString);
    await("every node announced its pid to the group")
        .atMost(CoordinatorGroup.LEADER_TIMEOUT)
        .until(
            () ->
                group.cluster(firstLeader).getNodesList().stream()
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

    // One JVM per role, each client in it a thread with its own connection: JVMs cost start-up
    // CPU that the elections and restarts need more.
    List<Path> queueHistories =
        List.of(
            startClients(consumers, "take", targets, QUEUE, CONSUMERS, RATE),
            startClients(writers, "put", targets, QUEUE, PRODUCERS, RATE));
    Path counterHistory = startClients(writers, "incr", targets, COUNTER, COUNTER_CLIENTS, RATE);
    Path lockHistory = startClients(writers, "turns", targets, LOCK, LOCK_CLIENTS, TURN_RATE);
    List<JavaProcess> load = new ArrayList<>(consumers.processes());
    load.addAll(writers.processes());

    String leader = firstLeader;
    for (int kill = 1; kill <= KILLS; kill++) {
      awaitProgress(load, "under leader " + leader + ", before kill " + kill);
      if (kill == 1) {
        await("item " + ITEMS / 4 + " of the map runs")
            .atMost(RUN)
            .until(() -> Files.exists(files.resolve("mark-" + ITEMS / 4)));
      }
      String killed = leader;
      group.kill(killed);
      if (kill == 1) {
        Files.createFile(files.resolve("release"));
      }
      String next = group.awaitLeader();
      assertNotEquals(killed, next);
      ClusterNodeStatus dead =
          group.cluster(next).getNodesList().stream()
              .filter(n -> n.getId().equals(killed))
              .findFirst()
              .orElseThrow();
      assertEquals(group.process(killed).pid(), dead.getPid(), "the lost node is still a member");
      awaitProgress(load, "under the new leader " + next + ", after kill " + kill);

      group.restart(killed);
      awaitCaughtUp(group, killed);
      leader = group.awaitLeader();
    }

    for (JavaProcess writer : writers.processes()) {
      writer.send("STOP");
    }
    for (JavaProcess writer : writers.processes()) {
      assertEquals(0, writer.waitFor(RUN), writer + " exit code");
    }
    ColonyQueue<Long> queue = client.queue(QUEUE, Long.class);
    for (int i = 0; i < CONSUMERS; i++) {
      queue.put(-1L);
    }
    for (JavaProcess consumer : consumers.processes()) {
      assertEquals(0, consumer.waitFor(RUN), consumer + " exit code");
    }
    assertNull(queue.poll(), "left in the queue");

    List<History.Event> queueEvents = History.read(queueHistories);
    List<History.Event> counterEvents = History.read(List.of(counterHistory));
    List<History.Event> lockEvents = History.read(List.of(lockHistory));
    long last = client.atomicLong(COUNTER).get();
    List<Long> written = new ArrayList<>(client.list(LOCK + "-writes", Long.class));
    System.out.printf(
        "LeaderLossTest: %d kills; acknowledged: %d puts, %d takes, %d increments (counter %d),"
            + " %d lock turns%n",
        KILLS,
        History.acked(queueEvents, "put"),
        History.acked(queueEvents, "take"),
        History.acked(counterEvents, "incr"),
        last,
        History.acked(lockEvents, "write"));
    assertEquals(List.of(), HistoryChecker.checkQueue(queueEvents), "queue history");
    assertEquals(List.of(), HistoryChecker.checkCounter(counterEvents, last), "counter history");
    assertEquals(List.of(), HistoryChecker.checkLock(lockEvents, written), "lock history");

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

  /** Starts a JVM of {@code clients} recording clients in {@code role}; returns its history. */
  private Path startClients(
      ProcessGroup into, String role, String targets, String name, int clients, int rate)
      throws Exception {
    Path history = files.resolve("history-" + role + ".log");
    into.add(
            JavaProcess.start(
                role,
                RecordedClientsApp.class,
                role,
                targets,
                name,
                history.toString(),
                String.valueOf(clients),
                String.valueOf(rate)))
        .awaitLineStartingWith("READY", RUN);
    return history;
  }

  /** Waits until every client JVM has {@link #PROGRESS} more acknowledged operations than now. */
  private static void awaitProgress(List<JavaProcess> load, String when) {
    Map<JavaProcess, Long> from = new HashMap<>();
    load.forEach(p -> from.put(p, acked(p)));
    await("every client JVM acknowledged " + PROGRESS + " more operations " + when)
        .atMost(RUN)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> load.stream().allMatch(p -> acked(p) >= from.get(p) + PROGRESS));
  }

  /** The latest count of acknowledged operations the JVM reported. */
  private static long acked(JavaProcess process) {
    List<String> lines = process.lines();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("ACKED ")) {
        return Long.parseLong(lines.get(i).substring(6));
      }
    }
    return 0;
  }

  /**
   * Waits until the leader of the moment reports {@code node} as a follower that has everything the
   * group had committed when it came back. Not "no lag at all": under load the group commits on,
   * and a follower that is a few entries behind the leader at every look has still caught up.
   */
  private static void awaitCaughtUp(CoordinatorGroup group, String node) {
    long[] target = {-1};
    await(node + " follows the leader with everything committed when it restarted")
        .atMost(CoordinatorGroup.LEADER_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              ClusterStatus view = group.cluster(group.awaitLeader());
              if (view == null) {
                return false;
              }
              if (target[0] < 0) {
                target[0] = view.getCommitIndex();
              }
              return view.getNodesList().stream()
                  .anyMatch(
                      n ->
                          n.getId().equals(node)
                              && n.getRole().equals("FOLLOWER")
                              && n.getCommitIndex() >= target[0]);
            });
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
