package dev.colony.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.server.tls.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection cannot hold a socket of the coordinator for long without doing anything: one that
 * never finishes its handshake (sends nothing at all, slowloris) is closed at the handshake
 * deadline, one that opens HTTP/2 and never makes a call at the idle deadline.
 */
class ConnectionDeadlineTest {
  /**
   * Far longer than the deadlines under test (1 s, plus gRPC's 10 s grace after an idle goodbye)
   * and shorter than the keep-alive's 30 s, so only the deadline under test can close the socket.
   */
  private static final Duration BOUND = Duration.ofSeconds(25);

  private static final byte[] HTTP2_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

  @TempDir Path dir;
  private ColonyServer server;

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), "the coordinator stops");
  }

  @Test
  void aSilentConnection_isClosedAtTheHandshakeDeadline_plaintext() throws Exception {
    server =
        ColonyServer.newBuilder()
            .setPort(0)
            .setHandshakeTimeout(Duration.ofSeconds(1))
            .build()
            .start();
    assertClosedBySilence();
  }

  @Test
  void aSilentConnection_isClosedAtTheHandshakeDeadline_tls() throws Exception {
    TestCertificates ca = TestCertificates.newCa(dir, "ca");
    TestCertificates coordinator = ca.issue("coordinator");
    server =
        ColonyServer.newBuilder()
            .setPort(0)
            .setTls(ServerTls.of(coordinator.certificatePem(), coordinator.keyPem()))
            .setHandshakeTimeout(Duration.ofSeconds(1))
            .build()
            .start();
    assertClosedBySilence();
  }

  @Test
  void anHttp2ConnectionWithoutCalls_isClosedAtTheIdleDeadline() throws Exception {
    server =
        ColonyServer.newBuilder()
            .setPort(0)
            .setMaxConnectionIdle(Duration.ofSeconds(1))
            .build()
            .start();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(HTTP2_PREFACE);
      out.write(EMPTY_SETTINGS);
      out.flush();
      // No answer to the coordinator's goodbye ping either: gRPC then waits 10 s more.
      assertTrue(closedWithin(socket), "an HTTP/2 connection without calls stayed open " + BOUND);
    }
  }

  private void assertClosedBySilence() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      assertTrue(closedWithin(socket), "a connection that sends nothing stayed open " + BOUND);
    }
  }

  /** Reads (and drops) what the coordinator sends until it closes the connection or BOUND. */
  private static boolean closedWithin(Socket socket) throws IOException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      try {
        if (in.read(buffer) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (SocketException reset) {
        return true;
      }
    }
  }
}
