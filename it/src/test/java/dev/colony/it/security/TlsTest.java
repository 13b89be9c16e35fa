package dev.colony.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ClientTls;
import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS round trips against a real coordinator on loopback. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsTest {
  @TempDir static Path dir;
  private static TestCertificates ca;
  private static TestCertificates server;
  private static TestCertificates clientCa;
  private static TestCertificates client;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.newCa(dir, "test-ca");
    server = ca.issue("coordinator");
    clientCa = TestCertificates.newCa(dir, "client-ca");
    client = clientCa.issue("client");
  }

  @Test
  void tls_roundTrip_andAPlaintextClientIsRefused() throws Exception {
    try (CoordinatorProcess coordinator =
        CoordinatorProcess.start(
            "--tls-cert", server.certificatePem().toString(),
            "--tls-key", server.keyPem().toString())) {
      try (ColonyClient colony = connect(coordinator, ClientTls.trusting(ca.certificatePem()))) {
        assertEquals(3, colony.atomicLong("tls.hits").addAndGet(3));
      }
      assertRefused(coordinator, null);
      // A certificate from a CA the client does not trust is refused too.
      assertRefused(coordinator, ClientTls.trusting(clientCa.certificatePem()));
    }
  }

  @Test
  void tls_theDashboardSpeaksHttpsWithTheSameCertificate() throws Exception {
    String readToken = "read-" + "0123456789abcdef0123456789abcdef";
    Path tokens = dir.resolve("dashboard-tokens");
    Files.writeString(tokens, "read=" + readToken + "\n");
    try (CoordinatorProcess coordinator =
        CoordinatorProcess.start(
            "--tls-cert", server.certificatePem().toString(),
            "--tls-key", server.keyPem().toString(),
            "--token-file", tokens.toString())) {
      assertTrue(
          coordinator.dashboard().startsWith("https://"),
          "the start-up line should give an https:// dashboard: " + coordinator.dashboard());
      HttpResponse<String> status =
          HttpClient.newBuilder()
              .sslContext(ca.trustingThisCa())
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(coordinator.dashboard() + "/api/status"))
                      .header("Authorization", "Bearer " + readToken)
                      .timeout(Duration.ofSeconds(20))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode(), status.body());
      String plain = coordinator.dashboard().replace("https://", "http://") + "/api/status";
      assertThrows(
          IOException.class,
          () ->
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create(plain))
                          .header("Authorization", "Bearer " + readToken)
                          .timeout(Duration.ofSeconds(20))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()),
          "plain HTTP to the TLS dashboard");
    }
  }

  @Test
  void mutualTls_roundTrip_andAClientWithoutACertificateIsRefused() throws Exception {
    try (CoordinatorProcess coordinator =
        CoordinatorProcess.start(
            "--tls-cert", server.certificatePem().toString(),
            "--tls-key", server.keyPem().toString(),
            "--tls-client-ca", clientCa.certificatePem().toString())) {
      ClientTls trusting = ClientTls.trusting(ca.certificatePem());
      try (ColonyClient colony =
          connect(
              coordinator,
              trusting.withClientCertificate(client.certificatePem(), client.keyPem()))) {
        assertEquals(4, colony.atomicLong("mtls.hits").addAndGet(4));
      }
      assertRefused(coordinator, trusting);
      // A certificate the coordinator's client CA did not sign is refused too.
      assertRefused(
          coordinator, trusting.withClientCertificate(server.certificatePem(), server.keyPem()));
    }
  }

  private static void assertRefused(CoordinatorProcess coordinator, ClientTls tls) {
    ColonyException refused =
        assertThrows(ColonyException.class, () -> connect(coordinator, tls).close());
    assertEquals(ColonyException.Code.UNAVAILABLE, refused.code(), refused.getMessage());
  }

  private static ColonyClient connect(CoordinatorProcess coordinator, ClientTls tls) {
    return Colony.connect(
        ColonyOptions.newBuilder()
            .setTarget(coordinator.target())
            .setTls(tls)
            // A refused handshake is retried until this runs out.
            .setConnectTimeout(Duration.ofSeconds(3))
            .build());
  }
}
