package dev.colony.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyOptions;
import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.WorkerStatus;
import dev.colony.server.ColonyServer;
import dev.colony.worker.WorkerDaemon;
import dev.colony.worker.WorkerOptions;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code colony status} against a real coordinator with a worker and objects a test created. */
@Timeout(60)
class StatusCommandTest {
  private final ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
  private final String address = "127.0.0.1:" + server.port();
  private WorkerDaemon worker;

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.shutdownNow();
      worker.awaitTermination(10, TimeUnit.SECONDS);
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private String startWorker() throws Exception {
    worker =
        new WorkerDaemon(
            WorkerOptions.newBuilder()
                .setCoordinator(address)
                .setSlots(3)
                .setName("status-test")
                .addAllowedTasks("dev.colony.cli.**")
                .build());
    return worker.start().joined().get(30, TimeUnit.SECONDS);
  }

  @Test
  void statusJson_reportsTheWorkersAndObjectsATestCreated() throws Exception {
    String workerId = startWorker();
    try (ColonyClient client = Colony.connect(address)) {
      client.queue("jobs", String.class).put("a");
      client.queue("jobs", String.class).put("b");
      client.atomicLong("sold").set(5);
      ColonyLock lock = client.lock("box-office");
      lock.lock();
      try {
        CliRun run = CliRun.of("status", "--json", "--coordinator", address);

        assertEquals(0, run.exitCode(), run::toString);
        StatusResponse.Builder parsed = StatusResponse.newBuilder();
        JsonFormat.parser().merge(run.out(), parsed);
        StatusResponse status = parsed.build();

        assertEquals(1, status.getWorkersCount(), run::toString);
        WorkerStatus shown = status.getWorkers(0);
        assertEquals(workerId, shown.getWorkerId());
        assertEquals("status-test", shown.getName());
        assertEquals(3, shown.getSlots());
        assertEquals(ProcessHandle.current().pid(), shown.getPid());

        Map<String, ObjectInfo> objects =
            status.getObjectsList().stream()
                .collect(Collectors.toMap(ObjectInfo::getName, Function.identity()));
        assertEquals(ObjectType.QUEUE, objects.get("jobs").getType());
        assertEquals(2, objects.get("jobs").getSize());
        assertEquals(ObjectType.VALUE, objects.get("sold").getType());
        assertEquals(ObjectType.LOCK, objects.get("box-office").getType());
        assertEquals(
            client.sessionLabel(), objects.get("box-office").getHolders(0).getSessionLabel());
      } finally {
        lock.unlock();
      }
    }
  }

  @Test
  void status_printsAlignedTablesOfWorkersObjectsAndTasks() throws Exception {
    String workerId = startWorker();
    try (ColonyClient client = Colony.connect(address)) {
      client.queue("jobs", String.class).put("a");

      CliRun run = CliRun.of("status", "--rate-window", "0", "--coordinator", address);

      assertEquals(0, run.exitCode(), run::toString);
      String out = run.out();
      assertTrue(out.contains("WORKERS (1)"), out);
      assertTrue(
          out.lines().anyMatch(l -> l.startsWith(workerId) && l.contains("status-test")), out);
      assertTrue(out.contains("OBJECTS (1)"), out);
      assertTrue(
          out.lines().anyMatch(l -> l.matches("jobs\\s+queue\\s+1\\s+-\\s+0\\s+FIFO.*")), out);
      assertTrue(out.contains("QUEUED  RUNNING  SUCCEEDED  FAILED  RATE"), out);
      assertTrue(out.contains("0.0 tasks/s (finished, over the last"), out);
      assertTrue(
          out.lines()
              .anyMatch(
                  l ->
                      l.matches(
                          "stored: [0-9.]+ (B|KiB) of 256 MiB \\(objects and tasks\\);"
                              + " retry caches: [0-9.]+ (B|KiB) of 64 MiB")),
          out);
    }
  }

  @Test
  void status_showsALockWaitCycle_withTheLocksAndHolders() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (ColonyClient alice =
            Colony.connect(
                ColonyOptions.newBuilder().setTarget(address).setClientName("alice").build());
        ColonyClient bob =
            Colony.connect(
                ColonyOptions.newBuilder().setTarget(address).setClientName("bob").build())) {
      // Each takes its first lock, then, once both hold one, waits for the other's: AB/BA.
      CountDownLatch bothHoldOne = new CountDownLatch(2);
      threads.submit(() -> lockThenWait(alice, "a", "b", bothHoldOne));
      threads.submit(() -> lockThenWait(bob, "b", "a", bothHoldOne));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  CliRun.of("status", "--json", "--coordinator", address)
                      .out()
                      .contains("\"deadlocks\": [{"));
      CliRun run = CliRun.of("status", "--rate-window", "0", "--coordinator", address);

      assertEquals(0, run.exitCode(), run::toString);
      String out = run.out();
      assertTrue(out.contains("DEADLOCKS (1)"), out);
      assertTrue(
          out.lines().anyMatch(l -> l.matches("  alice@.* waits for lock 'b', held by bob@.*")),
          out);
      assertTrue(
          out.lines().anyMatch(l -> l.matches("  bob@.* waits for lock 'a', held by alice@.*")),
          out);
    } finally {
      threads.shutdownNow();
    }
  }

  private static boolean lockThenWait(
      ColonyClient client, String first, String second, CountDownLatch bothHoldOne)
      throws InterruptedException {
    client.lock(first).lock();
    bothHoldOne.countDown();
    bothHoldOne.await();
    return client.lock(second).tryLock(30, TimeUnit.SECONDS);
  }

  @Test
  void status_listsRecentTaskFailures() throws Exception {
    startWorker();
    try (ColonyClient client = Colony.connect(address);
        Pool pool = client.pool(PoolOptions.newBuilder().setMaxRetries(0).build())) {
      assertThrows(RemoteTaskException.class, () -> pool.apply(FailingTask.class, "boom 42"));
    }

    CliRun run = CliRun.of("status", "--coordinator", address);

    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("RECENT FAILURES (1;"), run::toString);
    // The coordinator's own rate, at once; whether the failure is still in its ten-second window
    // depends on the machine's speed, so only the form is checked here (FinishRateTest: the sums).
    assertTrue(
        run.out()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        ".*\\b\\d+\\.\\d tasks/s \\(finished, over the last (\\d|10)\\.\\d s\\)\\s*")),
        run::toString);
    assertTrue(
        run.out().lines().anyMatch(l -> l.contains("java.lang.IllegalStateException: boom 42")),
        run::toString);
  }

  @Test
  void status_measuresTheTaskRateOverTheWindow() {
    CliRun run = CliRun.of("status", "--rate-window", "100ms", "--coordinator", address);

    assertEquals(0, run.exitCode(), run::toString);
    // Nothing ran, so the rate is 0 whatever the time between the samples was; how long that
    // took depends on the machine's load, so it is not asserted (rate_... below checks the sum).
    assertTrue(
        run.out()
            .lines()
            .anyMatch(l -> l.matches(".*\\b0\\.0 tasks/s \\(finished, over \\d+\\.\\d s\\)\\s*")),
        run::toString);
    assertTrue(run.out().contains("none: start one with `colony worker"), run::toString);
  }

  @Test
  void status_ofAnUnreachableCoordinator_isOneLineAndExit1() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    CliRun run = CliRun.of("status", "--coordinator", "127.0.0.1:" + closedPort);

    assertEquals(1, run.exitCode(), run::toString);
    assertEquals("", run.out());
    assertEquals(
        "colony status: cannot reach the coordinator at 127.0.0.1:"
            + closedPort
            + " within 5 s; is `colony coordinator` running? (--coordinator or"
            + " COLONY_COORDINATOR names another)",
        run.err().strip());
  }

  @Test
  void rate_countsSucceededAndFailedTasksPerSecond() {
    var before = dev.colony.proto.v1.TaskCounts.newBuilder().setSucceeded(10).setFailed(1).build();
    var after = dev.colony.proto.v1.TaskCounts.newBuilder().setSucceeded(30).setFailed(1).build();

    assertEquals(
        "10.0 tasks/s (finished, over 2.0 s)", StatusCommand.rate(before, after, 2_000_000_000L));
  }
}
