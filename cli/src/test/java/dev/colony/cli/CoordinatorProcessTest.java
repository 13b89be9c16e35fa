package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.server.ColonyServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code colony coordinator} as a real process: start-up lines, health, the dashboard, clean exit
 * on SIGTERM.
 */
class CoordinatorProcessTest {
  private static final Pattern LISTENING =
      Pattern.compile("Colony coordinator listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern DASHBOARD =
      Pattern.compile("Colony dashboard on http://127\\.0\\.0\\.1:(\\d+)/");

  @TempDir Path dir;

  @Test
  void coordinator_printsItsAddresses_servesHealthAndDashboard_andExitsZeroOnSigterm()
      throws Exception {
    Path stderr = dir.resolve("coordinator.err");
    Process process =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ColonyCommand.class.getName(),
                "coordinator",
                "--port",
                "0")
            .redirectError(stderr.toFile())
            .start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);
      assertNotNull(line, () -> "no start-up line; stderr: " + read(stderr));
      Matcher matcher = LISTENING.matcher(line);
      assertTrue(matcher.matches(), () -> "start-up line: " + line);
      int port = Integer.parseInt(matcher.group(1));
      assertTrue(port > 0);

      assertEquals(ServingStatus.SERVING, health(port));

      String state =
          CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);
      assertTrue(String.valueOf(state).startsWith("State in memory"), () -> "state line: " + state);
      String third =
          CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);
      Matcher dashboard = DASHBOARD.matcher(String.valueOf(third));
      assertTrue(dashboard.matches(), () -> "third start-up line: " + third);
      int httpPort = Integer.parseInt(dashboard.group(1));
      // --port 0 makes the dashboard's port free too: the next coordinator would collide on 7071.
      assertTrue(
          httpPort != ColonyServer.DEFAULT_HTTP_PORT && httpPort != port,
          () -> "dashboard port " + httpPort);
      HttpResponse<String> status =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/status"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode());
      assertTrue(status.body().contains("\"sessions\""), status::body);

      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the coordinator did not stop");
      assertEquals(0, process.exitValue(), () -> "exit code; stderr: " + read(stderr));
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void coordinator_onAnyAddressWithoutAToken_refusesToStart_sayingHowToFixIt() throws Exception {
    Path stderr = dir.resolve("refused.err");
    Process process =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ColonyCommand.class.getName(),
                "coordinator",
                "--host",
                "0.0.0.0",
                "--port",
                "0",
                "--no-http")
            .redirectError(stderr.toFile())
            .start();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the coordinator did not exit");
      assertEquals(2, process.exitValue(), () -> "exit code; stderr: " + read(stderr));
      String err = read(stderr);
      assertTrue(
          err.startsWith("colony coordinator: refusing to listen on 0.0.0.0 without a token"), err);
      assertTrue(err.contains("--token-file FILE") && err.contains("--insecure"), err);
      assertEquals("", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }

  private static ServingStatus health(int port) throws InterruptedException {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
            .build();
    try {
      return HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance())
          .getStatus();
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
