package dev.colony.it.tasks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.colony.cli.ColonyCommand;
import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.tasks.TestTasks.Square;
import dev.colony.proto.v1.NoWorkerWarning;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TaskFailureReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * A real coordinator with no worker at all: a pool's tasks are reported as stuck, and with a
 * noWorkerTimeout they fail with NO_WORKER instead of waiting for good.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoWorkerTest {
  @Test
  void poolMap_withANoWorkerTimeout_andNoWorker_failsWithNoWorker() throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.start();
        ColonyClient client = Colony.connect(coordinator.target());
        Pool pool =
            client.pool(
                PoolOptions.newBuilder().setNoWorkerTimeout(Duration.ofMillis(500)).build())) {
      RemoteTaskException e =
          assertThrows(RemoteTaskException.class, () -> pool.map(Square.class, List.of(1, 2, 3)));

      assertEquals(TaskFailureReason.NO_WORKER, e.reason());
      assertEquals("dev.colony.NoWorkerException", e.remoteClassName());
      assertTrue(
          e.remoteMessage()
              .contains("no worker is connected that can run " + Square.class.getName()),
          e.remoteMessage());
      assertTrue(e.remoteMessage().contains("colony worker --tasks"), e.remoteMessage());
    }
  }

  @Test
  void statusJson_showsTheWarning_whileTasksWaitWithNoWorker() throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.start("--no-worker-warning=0s");
        ColonyClient client = Colony.connect(coordinator.target());
        Pool pool = client.pool()) {
      CompletableFuture<Integer> result = pool.applyAsync(Square.class, 3);

      await("colony status --json to show the no-worker warning")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> statusJson(coordinator).hasNoWorker());
      NoWorkerWarning warning = statusJson(coordinator).getNoWorker();
      assertEquals(1, warning.getQueued());
      assertEquals(List.of(Square.class.getName()), warning.getTaskNamesList());
      String message = warning.getMessage();
      assertTrue(message.startsWith("1 task queued for "), message);
      assertTrue(
          message.contains("with no worker able to run it (no worker is connected)"), message);
      assertTrue(message.contains(Square.class.getName()), message);
      assertTrue(
          colonyStatus(coordinator, "--rate-window", "0s").contains("WARNING: 1 task queued"));
      assertFalse(result.isDone(), "the task still waits: no timeout was set");
      pool.terminate();
    }
  }

  /** What `colony status --json` prints, read back as the StatusResponse it prints. */
  private static StatusResponse statusJson(CoordinatorProcess coordinator) throws Exception {
    StatusResponse.Builder status = StatusResponse.newBuilder();
    JsonFormat.parser().merge(colonyStatus(coordinator, "--json"), status);
    return status.build();
  }

  private static String colonyStatus(CoordinatorProcess coordinator, String... args) {
    StringWriter out = new StringWriter();
    CommandLine colony = ColonyCommand.newCommandLine();
    colony.setOut(new PrintWriter(out, true));
    String[] all = new String[args.length + 3];
    all[0] = "status";
    all[1] = "--coordinator";
    all[2] = coordinator.target();
    System.arraycopy(args, 0, all, 3, args.length);
    int exit = colony.execute(all);
    assertEquals(0, exit, out.toString());
    return out.toString();
  }
}
