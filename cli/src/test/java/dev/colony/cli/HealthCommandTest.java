package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.AccessTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code colony health}: what container health checks and probes run. */
@Timeout(60)
class HealthCommandTest {

  @Test
  void health_ofARunningCoordinatorWithTokens_isServing_withoutAToken() throws Exception {
    ColonyServer server =
        ColonyServer.newBuilder()
            .setHost("127.0.0.1")
            .setPort(0)
            .setAccessTokens(AccessTokens.adminToken("health-test-token-0123456789"))
            .build()
            .start();
    try {
      CliRun health = CliRun.against("127.0.0.1:" + server.port(), "health");

      assertEquals(0, health.exitCode(), health::toString);
      assertEquals("SERVING\n", health.out(), health::toString);
      assertEquals("", health.err(), health::toString);
    } finally {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void healthPort_answersHealthInPlaintext_andNothingElse_whileTheMainPortWantsTokens()
      throws Exception {
    ColonyServer server =
        ColonyServer.newBuilder()
            .setHost("127.0.0.1")
            .setPort(0)
            .setHealthPort(0)
            .setAccessTokens(AccessTokens.adminToken("health-test-token-0123456789"))
            .build()
            .start();
    int healthPort = server.healthPort();
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", healthPort).usePlaintext().build();
    try {
      assertNotEquals(server.port(), healthPort);
      CliRun health = CliRun.against("127.0.0.1:" + healthPort, "health");
      assertEquals(0, health.exitCode(), health::toString);
      assertEquals("SERVING\n", health.out(), health::toString);

      StatusRuntimeException status =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  AdminServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(5, TimeUnit.SECONDS)
                      .status(StatusRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNIMPLEMENTED, status.getStatus().getCode(), status::toString);

      server.shutdownNow();
      assertTrue(server.awaitTermination(5, TimeUnit.SECONDS), "both ports closed");
      CliRun after = CliRun.against("127.0.0.1:" + healthPort, "health", "--timeout", "300ms");
      assertEquals(1, after.exitCode(), after::toString);
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void health_ofNoCoordinator_failsWithinItsTimeout_sayingSo() throws Exception {
    ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
    String address = "127.0.0.1:" + server.port();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);

    long start = System.nanoTime();
    CliRun health = CliRun.against(address, "health", "--timeout", "500ms");
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(1, health.exitCode(), health::toString);
    assertEquals("", health.out(), health::toString);
    assertEquals(
        "health of " + address + ": no answer within 500 ms\n", health.err(), health::toString);
    assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms with --timeout 500ms");
  }
}
