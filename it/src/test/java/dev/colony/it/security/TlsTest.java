package dev.colony.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.colony.client.ClientTls;
import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.TestCertificates;
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
