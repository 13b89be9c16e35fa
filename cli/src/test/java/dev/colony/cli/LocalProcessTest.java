package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.WorkerStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code colony local} as its own JVM: a coordinator with workers that stops cleanly. */
class LocalProcessTest {
  private static final Pattern STARTED =
      Pattern.compile(
          "Colony local cluster on 127\\.0\\.0\\.1:(\\d+) with 2 workers \\(1 slot each\\)");

  private static final Pattern DASHBOARD =
      Pattern.compile("Colony dashboard on (http://127\\.0\\.0\\.1:\\d+/)");

  @TempDir Path dir;

  @Test
  void local_startsACoordinatorWithWorkers_andExitsZeroOnSigterm() throws Exception {
    Path stderr = dir.resolve("local.err");
    Process process = startLocal(stderr, "--port", "0", "--http-port", "0", "--workers", "2");
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);
      assertNotNull(line, () -> "no start-up line; stderr: " + read(stderr));
      Matcher matcher = STARTED.matcher(line);
      assertTrue(matcher.matches(), () -> "start-up line: " + line);
      String address = "127.0.0.1:" + matcher.group(1);
      String stateLine = readLine(stdout);
      assertTrue(stateLine.startsWith("State in memory"), () -> "state line: " + stateLine);
      String dashboardLine = readLine(stdout);
      Matcher dashboard = DASHBOARD.matcher(dashboardLine);
      assertTrue(dashboard.matches(), () -> "dashboard line: " + dashboardLine);
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(dashboard.group(1)))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());

      CliRun run = CliRun.of("status", "--json", "--coordinator", address);
      assertEquals(0, run.exitCode(), run::toString);
      StatusResponse.Builder status = StatusResponse.newBuilder();
      com.google.protobuf.util.JsonFormat.parser().merge(run.out(), status);
      assertEquals(2, status.getWorkersCount(), run::toString);
      for (WorkerStatus worker : status.getWorkersList()) {
        assertEquals(process.pid(), worker.getPid());
        assertEquals(1, worker.getSlots());
      }
      try (ColonyClient client = Colony.connect(address)) {
        client.atomicLong("visits").incrementAndGet();
        assertEquals(1L, client.atomicLong("visits").get());
      }

      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "colony local did not stop");
      assertEquals(0, process.exitValue(), () -> "exit code; stderr: " + read(stderr));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void localWithThreeCoordinators_runsOneGroup_thatWorkersAndClientsUseByItsAddresses()
      throws Exception {
    Path stderr = dir.resolve("local-group.err");
    Process process =
        startLocal(stderr, "--port", "0", "--no-http", "--workers", "1", "--coordinators", "3");
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      // The start-up line; log lines may come first when a test logging setup sends them here.
      String line =
          CompletableFuture.supplyAsync(
                  () -> {
                    String next;
                    while ((next = readLine(stdout)) != null
                        && !next.startsWith("Colony local cluster on")) {}
                    return next;
                  })
              .get(90, TimeUnit.SECONDS);
      assertNotNull(line, () -> "no start-up line; stderr: " + read(stderr));
      Matcher matcher =
          Pattern.compile(
                  "Colony local cluster on ((?:127\\.0\\.0\\.1:\\d+,?){3}) with 1 worker \\(1"
                      + " slot each\\), 3 coordinators in one group")
              .matcher(line);
      assertTrue(matcher.matches(), () -> "start-up line: " + line);
      String addresses = matcher.group(1);
      String stateLine = readLine(stdout);
      assertTrue(
          stateLine.contains("replicated: node n1 of a group of 3"),
          () -> "state line: " + stateLine);

      CliRun run = CliRun.of("status", "--json", "--coordinator", addresses);
      assertEquals(0, run.exitCode(), run::toString);
      StatusResponse.Builder status = StatusResponse.newBuilder();
      com.google.protobuf.util.JsonFormat.parser().merge(run.out(), status);
      assertEquals(3, status.getCluster().getNodesCount(), run::toString);
      assertEquals(1, status.getWorkersCount(), run::toString);
      try (ColonyClient client = Colony.connect(addresses)) {
        assertEquals(1L, client.atomicLong("group-visits").incrementAndGet());
      }

      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "colony local did not stop");
      assertEquals(0, process.exitValue(), () -> "exit code; stderr: " + read(stderr));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void local_onAPortInUse_explainsAndExitsWith1() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliRun run = CliRun.of("local", "--no-http", "--port", String.valueOf(taken.getLocalPort()));

      assertEquals(1, run.exitCode(), run::toString);
      assertTrue(run.err().contains("--port"), run::toString);
      assertEquals(1, run.err().strip().lines().count(), run::toString);
    }
  }

  /** `colony local ARGS` in a JVM of its own, its stderr into {@code stderr}. */
  private static Process startLocal(Path stderr, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ColonyCommand.class.getName(),
                "local"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
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
