package dev.colony.client;

import static dev.colony.client.ColonyServerFixture.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.server.ColonyServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SessionLifecycleTest {

  @Test
  void connect_toNothing_failsUnavailable() throws Exception {
    int freePort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    ColonyOptions options =
        ColonyOptions.newBuilder()
            .setTarget("127.0.0.1:" + freePort)
            .setConnectTimeout(Duration.ofMillis(500))
            .build();

    ColonyException e = assertThrows(ColonyException.class, () -> Colony.connect(options));

    assertEquals(ColonyException.Code.UNAVAILABLE, e.code());
    assertEquals(
        "no coordinator answered at 127.0.0.1:"
            + freePort
            + " within 500 ms (ColonyOptions.setConnectTimeout); is it running, and is that its"
            + " address?",
        e.getMessage());
  }

  @Test
  void keepAlive_holdsTheSessionPastItsTtl() throws Exception {
    String name = name("leased");
    try (ColonyClient holder =
            Colony.connect(
                ColonyOptions.newBuilder()
                    .setTarget(ColonyServerFixture.target())
                    .setSessionTtl(Duration.ofSeconds(1))
                    .build());
        ColonyClient other = ColonyServerFixture.connect()) {
      holder.lock(name).lock();

      // Waiting 2.5 lease lengths: without keep-alives the lock would pass to this waiter.
      assertFalse(other.lock(name).tryLock(2_500, TimeUnit.MILLISECONDS));
      assertTrue(holder.lock(name).isHeldByCurrentThread());
    }
  }

  @Test
  void coordinatorGone_blockedCallsWaitForIt_thenFailWhenTheClientGivesUp() throws Exception {
    ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
    ColonyClient client =
        Colony.connect(
            ColonyOptions.newBuilder()
                .setTarget("127.0.0.1:" + server.port())
                .setSessionTtl(Duration.ofSeconds(1))
                .setReconnectTimeout(Duration.ofSeconds(2))
                .build());
    try {
      ColonyQueue<String> queue = client.queue("q", String.class);
      CompletableFuture<String> blocked =
          ColonyServerFixture.supplyAsync(
              () -> {
                try {
                  return queue.take();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });

      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);

      // The take waits while the client tries to reach the coordinator again, and fails once
      // the reconnect timeout has passed.
      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> blocked.get(20, TimeUnit.SECONDS));
      ColonyException cause = (ColonyException) failed.getCause();
      assertEquals(ColonyException.Code.UNAVAILABLE, cause.code());
      assertEquals(ErrorReason.SESSION_NOT_FOUND, cause.reason(), cause.getMessage());
      assertTrue(cause.getMessage().contains("reconnect timeout"), cause.getMessage());
      ColonyException dead = assertThrows(ColonyException.class, () -> queue.offer("x"));
      assertTrue(dead.getMessage().contains("dead"), dead.getMessage());
    } finally {
      client.close();
      server.shutdownNow();
    }
  }
}
