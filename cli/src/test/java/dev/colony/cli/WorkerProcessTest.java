package dev.colony.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.server.ColonyServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code colony worker} as its own JVM: start-up line, joins the coordinator, exit 0 on SIGTERM.
 */
class WorkerProcessTest {
  private static final Pattern CONNECTED =
      Pattern.compile(
          "Colony worker (worker-\\d+) connected to 127\\.0\\.0\\.1:(\\d+) with 2 slots");

  @TempDir Path dir;
  private final ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void worker_printsItsIdJoinsAndLeavesCleanlyOnSigterm() throws Exception {
    Path stderr = dir.resolve("worker.err");
    Process process =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ColonyCommand.class.getName(),
                "worker",
                "--coordinator",
                "127.0.0.1:" + server.port(),
                "--slots",
                "2",
                "--name",
                "process-test",
                "--allow-tasks",
                "dev.colony.cli.**")
            .redirectError(stderr.toFile())
            .start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);
      assertNotNull(line, () -> "no start-up line; stderr: " + read(stderr));
      Matcher matcher = CONNECTED.matcher(line);
      assertTrue(matcher.matches(), () -> "start-up line: " + line);
      assertEquals(server.port(), Integer.parseInt(matcher.group(2)));

      StatusResponse status = status();
      assertEquals(1, status.getWorkersCount());
      assertEquals(matcher.group(1), status.getWorkers(0).getWorkerId());
      assertEquals("process-test", status.getWorkers(0).getName());
      assertEquals(process.pid(), status.getWorkers(0).getPid());

      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the worker did not stop");
      assertEquals(0, process.exitValue(), () -> "exit code; stderr: " + read(stderr));
      await().atMost(Duration.ofSeconds(10)).until(() -> status().getWorkersCount() == 0);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aTasksLogLines_areOnTheWorkersStderrWithTheTaskId_evenWithColonysLogsAtError()
      throws Exception {
    Path stderr = dir.resolve("worker.err");
    ProcessBuilder builder =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ColonyCommand.class.getName(),
                "worker",
                "--coordinator",
                "127.0.0.1:" + server.port(),
                "--slots",
                "1",
                "--allow-tasks",
                "dev.colony.cli.**")
            .redirectError(stderr.toFile());
    // The bundled logback.xml would drop INFO from any logger now: task lines do not go through it.
    builder.environment().put("COLONY_LOG_LEVEL", "ERROR");
    Process process = builder.start();
    try (ColonyClient sdk = Colony.connect("127.0.0.1:" + server.port())) {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);
      assertNotNull(line, () -> "no start-up line; stderr: " + read(stderr));

      long id;
      try (Pool pool = sdk.pool(PoolOptions.newBuilder().setMaxRetries(0).build())) {
        RemoteTaskException failed =
            assertThrows(RemoteTaskException.class, () -> pool.apply(LoggingTask.class, "cat.jpg"));
        id = failed.taskId();
      }

      String prefix = "[task " + id + " LoggingTask] ";
      await().atMost(Duration.ofSeconds(10)).until(() -> read(stderr).contains(prefix + "WARN"));
      String output = read(stderr);
      assertTrue(output.contains(prefix + "INFO resizing cat.jpg\n"), output);
      assertTrue(output.contains(prefix + "WARN cat.jpg is larger than 10 MB\n"), output);
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  private StatusResponse status() {
    if (channel == null) {
      channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }
    return AdminServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .status(StatusRequest.getDefaultInstance());
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
