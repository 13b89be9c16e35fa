package dev.colony.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection that carries no call for the idle deadline is closed by the coordinator. */
class IdleConnectionTest {
  private ColonyServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), "the coordinator stops");
    channel.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void anIdleConnection_isClosed() throws Exception {
    server =
        ColonyServer.newBuilder()
            .setPort(0)
            .setMaxConnectionIdle(Duration.ofMillis(500))
            .build()
            .start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.port(), InsecureChannelCredentials.create())
            .build();
    HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
    assertEquals(ConnectivityState.READY, channel.getState(false));

    CountDownLatch left = new CountDownLatch(1);
    channel.notifyWhenStateChanged(ConnectivityState.READY, left::countDown);

    assertTrue(
        left.await(60, TimeUnit.SECONDS),
        "the coordinator did not close the idle connection within 60 s");
    assertEquals(ConnectivityState.IDLE, channel.getState(false));
  }
}
