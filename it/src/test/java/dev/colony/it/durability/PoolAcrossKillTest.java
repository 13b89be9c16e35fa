package dev.colony.it.durability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.it.durability.tasks.HeldAcrossOutage;
import dev.colony.it.durability.tasks.SquareWithMark;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.workers.WorkerProcess;
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
 * A Pool.map over two worker JVMs while the coordinator is SIGKILLed and started again, with tasks
 * that finish on their workers while the coordinator is down.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PoolAcrossKillTest {

  private static final int ITEMS = 4_000;
  private static final int HELD = 2;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dataDir;
  @TempDir Path files;

  /**
   * One coordinator run for both halves: the held tasks take two of the four slots, and the map
   * keeps the others busy before, during and after the outage.
   */
  @Test
  void mapAcrossASigkill_everyResultOnceInOrder_andTasksFinishedWhileDown_reportedByTheirWorker()
      throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.startDurable(dataDir);
        WorkerProcess first = WorkerProcess.launch("worker-a", coordinator.target());
        WorkerProcess second = WorkerProcess.launch("worker-b", coordinator.target())) {
      first.awaitConnected();
      second.awaitConnected();
      String dir = files.toString();
      try (ColonyClient client = Colony.connect(coordinator.target());
          Pool heldPool = client.pool();
          Pool mapPool = client.pool()) {
        List<CompletableFuture<HeldAcrossOutage.Ran>> held = new ArrayList<>();
        for (int n = 0; n < HELD; n++) {
          held.add(heldPool.applyAsync(HeldAcrossOutage.class, new HeldAcrossOutage.Job(dir, n)));
        }
        awaitFiles("started-", "the held tasks start on workers");
        FutureTask<List<Long>> mapping = startMap(mapPool, dir, ITEMS);
        awaitMark(ITEMS);

        coordinator.kill();
        Files.createFile(files.resolve("release"));
        awaitFiles("done-", "the held tasks finish on their workers while the coordinator is down");
        coordinator.restart();

        assertEquals(
            LongStream.range(0, ITEMS).map(n -> n * n).boxed().toList(),
            mapping.get(WAIT.toSeconds(), TimeUnit.SECONDS),
            "map results in item order");
        for (int n = 0; n < HELD; n++) {
          HeldAcrossOutage.Ran ran = held.get(n).get(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertEquals(
              List.of(ran.workerId() + " " + ran.workerPid() + " 1"),
              Files.readAllLines(files.resolve("runs-" + n)),
              "held task " + n + " ran once, on the worker whose result came back");
          assertEquals(
              ran.workerId(),
              Files.readString(files.resolve("done-" + n)),
              "held task " + n + " finished during the outage on the worker that reported it");
        }
      }
    }
  }

  /** Starts the map of {@code count} squares on a thread of its own; item count / 4 marks. */
  private static FutureTask<List<Long>> startMap(Pool pool, String dir, int count) {
    List<SquareWithMark.Item> items =
        LongStream.range(0, count)
            .mapToObj(n -> new SquareWithMark.Item(dir, count / 4, n))
            .toList();
    FutureTask<List<Long>> mapping = new FutureTask<>(() -> pool.map(SquareWithMark.class, items));
    Thread caller = new Thread(mapping, "map-caller");
    caller.setDaemon(true);
    caller.start();
    return mapping;
  }

  private void awaitMark(int count) {
    int mark = count / 4;
    await()
        .atMost(WAIT)
        .alias("item " + mark + " of the map runs")
        .until(() -> Files.exists(files.resolve("mark-" + mark)));
  }

  private void awaitFiles(String prefix, String what) {
    await()
        .atMost(WAIT)
        .alias(what + " (" + HELD + " files " + prefix + "*)")
        .until(
            () -> {
              try (var listing = Files.list(files)) {
                return listing.filter(p -> p.getFileName().toString().startsWith(prefix)).count()
                    == HELD;
              }
            });
  }
}
