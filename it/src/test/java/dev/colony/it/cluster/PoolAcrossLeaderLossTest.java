package dev.colony.it.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.it.durability.tasks.HeldAcrossOutage;
import dev.colony.it.durability.tasks.SquareWithMark;
import dev.colony.it.support.CoordinatorGroup;
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
 * Worker JVMs and a pool given all three addresses of a group while its leader is SIGKILLed: the
 * workers find the new leader on their own, the map completes in order, and tasks held across the
 * loss run once, on the worker whose result came back.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PoolAcrossLeaderLossTest {
  private static final int ITEMS = 1_000;
  private static final int HELD = 2;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void leaderSigkilledWhileWorkersRunAPool_everyResultArrives_andHeldTasksRanOnce()
      throws Exception {
    try (CoordinatorGroup group = CoordinatorGroup.start(3, dataDir, "--sync", "batch")) {
      String leader = group.awaitLeader();
      String targets = group.targets();
      try (WorkerProcess first = WorkerProcess.launch("worker-a", targets);
          WorkerProcess second = WorkerProcess.launch("worker-b", targets)) {
        first.awaitConnected();
        second.awaitConnected();
        String dir = files.toString();
        try (ColonyClient client = Colony.connect(targets);
            Pool heldPool = client.pool();
            Pool mapPool = client.pool()) {
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
          await("item " + ITEMS / 4 + " of the map runs")
              .atMost(WAIT)
              .until(() -> Files.exists(files.resolve("mark-" + ITEMS / 4)));

          group.kill(leader);
          Files.createFile(files.resolve("release"));
          assertNotEquals(leader, group.awaitLeader());

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
          }
        }
      }
    }
  }

  private void awaitFiles(String prefix, String what) {
    await(what + " (" + HELD + " files " + prefix + "*)")
        .atMost(WAIT)
        .until(
            () -> {
              try (var listing = Files.list(files)) {
                return listing.filter(p -> p.getFileName().toString().startsWith(prefix)).count()
                    == HELD;
              }
            });
  }
}
