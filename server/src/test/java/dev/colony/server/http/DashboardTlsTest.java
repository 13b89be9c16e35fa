package dev.colony.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.server.ColonyServer;
import dev.colony.server.ServerTls;
import dev.colony.server.auth.AccessTokens;
import dev.colony.server.tls.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With TLS the dashboard speaks HTTPS with the coordinator's certificate, so the read token never
 * crosses the network in clear; with mutual TLS it wants a client certificate too.
 */
class DashboardTlsTest {
  private static final String READ_TOKEN = "read-token-0123456789abcdef";

  @TempDir static Path dir;
  private static TestCertificates ca;
  private static TestCertificates coordinator;
  private static TestCertificates clientCa;
  private static TestCertificates client;
  private static AccessTokens tokens;

  private ColonyServer server;

  @BeforeAll
  static void certificates() throws IOException {
    ca = TestCertificates.newCa(dir, "test-ca");
    coordinator = ca.issue("coordinator");
    clientCa = TestCertificates.newCa(dir, "client-ca");
    client = clientCa.issue("client");
    Path tokenFile = dir.resolve("tokens");
    Files.writeString(tokenFile, "read=" + READ_TOKEN + "\n");
    tokens = AccessTokens.read(tokenFile);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), "the coordinator stops");
    }
  }

  @Test
  void withTls_theDashboardSpeaksHttps_andPlainHttpGetsNothing() throws Exception {
    server = start(ServerTls.of(coordinator.certificatePem(), coordinator.keyPem()));
    assertEquals("https", server.httpScheme());
    HttpClient https = client(TestCertificates.trusting(ca));

    HttpResponse<String> status = get(https, "https", READ_TOKEN);
    assertEquals(200, status.statusCode(), status.body());
    assertTrue(status.body().contains("\"sessions\""), status.body());
    assertEquals(401, get(https, "https", null).statusCode(), "the read token is still needed");

    IOException plain =
        assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(), "http", READ_TOKEN));
    assertFalse(
        plain instanceof HttpTimeoutException, "plain HTTP should be refused, not left hanging");
  }

  @Test
  void withMutualTls_theDashboardWantsAClientCertificateToo() throws Exception {
    server =
        start(
            ServerTls.of(coordinator.certificatePem(), coordinator.keyPem())
                .requireClientCertificates(clientCa.certificatePem()));

    HttpResponse<String> status = get(client(client.presentingTo(ca)), "https", READ_TOKEN);
    assertEquals(200, status.statusCode(), status.body());

    IOException refused =
        assertThrows(
            IOException.class,
            () -> get(client(TestCertificates.trusting(ca)), "https", READ_TOKEN));
    assertFalse(refused instanceof HttpTimeoutException, "refused, not left hanging: " + refused);
    // A certificate from a CA the coordinator does not trust for clients is no better.
    IOException foreign =
        assertThrows(
            IOException.class,
            () -> get(client(coordinator.presentingTo(ca)), "https", READ_TOKEN));
    assertFalse(foreign instanceof HttpTimeoutException, "refused, not left hanging: " + foreign);
  }

  @Test
  void withoutTls_theDashboardStaysHttp() throws Exception {
    server = ColonyServer.newBuilder().setPort(0).setHttpPort(0).setAccessTokens(tokens).build();
    server.start();
    assertEquals("http", server.httpScheme());
    assertEquals(200, get(HttpClient.newHttpClient(), "http", READ_TOKEN).statusCode());
  }

  private ColonyServer start(ServerTls tls) {
    return ColonyServer.newBuilder()
        .setPort(0)
        .setHttpPort(0)
        .setAccessTokens(tokens)
        .setTls(tls)
        .build()
        .start();
  }

  private static HttpClient client(SSLContext tls) {
    return HttpClient.newBuilder().sslContext(tls).build();
  }

  private HttpResponse<String> get(HttpClient http, String scheme, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(scheme + "://127.0.0.1:" + server.httpPort() + "/api/status"))
            .timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
