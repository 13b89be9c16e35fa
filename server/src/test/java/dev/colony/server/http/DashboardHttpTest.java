package dev.colony.server.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.server.ColonyServer;
import dev.colony.server.core.Limits;
import dev.colony.server.metrics.ColonyMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator's HTTP routes over real TCP: /metrics, /api/status, the page, errors. */
class DashboardHttpTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private ColonyServer server;
  private RawClient client;

  @BeforeEach
  void start() {
    server = ColonyServer.newBuilder().setHost("127.0.0.1").setPort(0).setHttpPort(0).build();
    server.start();
    client = new RawClient(server.port(), "metrics-test");
  }

  @AfterEach
  void stop() throws InterruptedException {
    client.close();
    server.shutdownNow();
    assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the sample whose name and labels are exactly {@code series}, if any. */
  private static Optional<Double> sample(String scrape, String series) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]))
        .findFirst();
  }

  private static double value(String scrape, String series) {
    return sample(scrape, series)
        .orElseThrow(() -> new AssertionError("no sample " + series + " in\n" + scrape));
  }

  @Test
  void metrics_showTheCallsQueueDepthsAndSessionsATestProduced() throws Exception {
    client.create("jobs", ObjectType.QUEUE);
    for (int i = 0; i < 7; i++) {
      client.put("jobs", "job-" + i);
    }
    try (RawClient other = new RawClient(server.port(), "other")) {
      HttpResponse<String> response = get("/metrics");

      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String scrape = response.body();
      assertEquals(7, value(scrape, "colony_calls_total{op=\"queue_put\"}"));
      assertEquals(1, value(scrape, "colony_calls_total{op=\"object_create\"}"));
      assertEquals(7, value(scrape, "colony_call_latency_seconds_count{op=\"queue_put\"}"));
      assertTrue(value(scrape, "colony_call_latency_seconds_sum{op=\"queue_put\"}") > 0);
      assertTrue(
          sample(scrape, "colony_call_latency_seconds{op=\"queue_put\",quantile=\"0.99\"}")
              .isPresent(),
          scrape);
      assertEquals(7, value(scrape, "colony_queue_depth{queue=\"jobs\"}"));
      assertEquals(2, value(scrape, "colony_sessions"));
      assertEquals(1, value(scrape, "colony_objects"));
      assertEquals(0, value(scrape, "colony_waiters"));
      assertEquals(0, value(scrape, "colony_workers"));
      assertEquals(0, value(scrape, "colony_tasks_queued"));
      assertEquals(0, value(scrape, "colony_tasks_failed_total"));
      assertEquals(0, value(scrape, "colony_deadlocks"));
      assertEquals(0, value(scrape, "colony_deadlocks_detected_total"));
      assertTrue(value(scrape, "colony_stored_bytes") >= 7 * Limits.ENTRY_OVERHEAD_BYTES, scrape);
      assertEquals(
          server.loop().limits().maxStoredBytes(), value(scrape, "colony_stored_bytes_limit"));
      // The client acknowledged every reply, so its cache is empty; the gauge is there.
      assertTrue(sample(scrape, "colony_retry_cache_bytes").isPresent(), scrape);
    }
  }

  @Test
  void metrics_countWaitersAndDeadlocks_andTheCycleEndsWithTheSession() throws Exception {
    client.create("a", ObjectType.LOCK);
    client.create("b", ObjectType.LOCK);
    RawClient other = new RawClient(server.port(), "other");
    client.execute(RawClient.acquire("a", 1));
    other.execute(RawClient.acquire("b", 1));
    CompletableFuture<?> firstWaits = client.start(RawClient.acquire("b", 1));
    CompletableFuture<?> secondWaits = other.start(RawClient.acquire("a", 1));
    awaitWaiters(2);

    String scrape = get("/metrics").body();
    assertEquals(2, value(scrape, "colony_waiters"));
    assertEquals(1, value(scrape, "colony_deadlocks"));
    assertEquals(1, value(scrape, "colony_deadlocks_detected_total"));
    assertTrue(!firstWaits.isDone() && !secondWaits.isDone());

    other.closeSession();
    other.close();
    firstWaits.get(10, TimeUnit.SECONDS);
    scrape = get("/metrics").body();
    assertEquals(0, value(scrape, "colony_deadlocks"));
    assertEquals(1, value(scrape, "colony_deadlocks_detected_total"));
  }

  @Test
  void metrics_tagOnlyTheLongestQueues() throws Exception {
    for (int i = 0; i <= ColonyMetrics.MAX_QUEUE_SERIES; i++) {
      client.create(String.format("empty-%03d", i), ObjectType.QUEUE);
    }
    client.create("busy", ObjectType.QUEUE);
    client.put("busy", "x");

    String scrape = get("/metrics").body();

    long series = scrape.lines().filter(line -> line.startsWith("colony_queue_depth{")).count();
    assertEquals(ColonyMetrics.MAX_QUEUE_SERIES, series);
    assertEquals(1, value(scrape, "colony_queue_depth{queue=\"busy\"}"));
  }

  @Test
  void apiStatus_isTheCoreStatusAsProtobufJson() throws Exception {
    client.create("jobs", ObjectType.QUEUE);
    client.put("jobs", "one");
    client.create("printer", ObjectType.LOCK);
    client.execute(RawClient.acquire("printer", 3));

    HttpResponse<String> response = get("/api/status");

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    StatusResponse.Builder parsed = StatusResponse.newBuilder();
    JsonFormat.parser().merge(response.body(), parsed);
    StatusResponse expected = server.loop().status().get(5, TimeUnit.SECONDS);
    assertEquals(expected.getObjectsList(), parsed.getObjectsList());
    assertEquals(expected.getSessions(), parsed.getSessions());
    assertEquals(expected.getStoredBytes(), parsed.getStoredBytes());
    assertTrue(parsed.getStoredBytes() > 0, response.body());
    assertEquals(server.loop().limits().maxStoredBytes(), parsed.getMaxStoredBytes());
    ObjectInfo printer = parsed.getObjects(1);
    assertEquals("printer", printer.getName());
    assertEquals(client.sessionLabel, printer.getHolders(0).getSessionLabel());
    assertEquals(3, printer.getHolders(0).getThreadId());
    // Fields with default values are printed too, so the page never meets a missing one.
    assertTrue(response.body().contains("\"deadlocks\": []"), response.body());
    assertTrue(response.body().contains("\"recentFailures\": []"), response.body());
  }

  @Test
  void root_servesTheDashboardPage() throws Exception {
    HttpResponse<String> response = get("/");

    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(response.body().contains("<title>Colony dashboard</title>"));
    assertTrue(response.body().contains("/api/status"));
  }

  @Test
  void unknownPath_is404_andPost_is405() throws Exception {
    assertEquals(404, get("/nope").statusCode());
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/api/status"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertEquals(List.of("GET, HEAD"), post.headers().allValues("Allow"));
  }

  @Test
  void httpPort_isOnTheSameLoopbackAddress_andGoneAfterShutdown() throws Exception {
    assertTrue(server.httpAddress().getAddress().isLoopbackAddress());
    int port = server.httpPort();
    server.shutdownNow();
    assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
    try (Socket socket = new Socket()) {
      assertThrows(
          IOException.class, () -> socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000));
    }
  }

  private void awaitWaiters(int n) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.loop().stats(1).get(5, TimeUnit.SECONDS).waiters() >= n);
  }
}
