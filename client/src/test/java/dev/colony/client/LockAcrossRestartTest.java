package dev.colony.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.server.ColonyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable coordinator that stops and comes back on the same data directory after longer than a
 * lease (as one killed and slow to start or replay does) still holds its sessions' locks: it gives
 * every session a whole lease from when it serves again. The holder, which could not renew for
 * longer than its lease, asks the coordinator instead of assuming it lost the lock.
 */
@Timeout(60)
class LockAcrossRestartTest {
  // Longer than the client takes to re-attach once the coordinator is back (a reconnect at most a
  // second apart, a re-attach at most 2 s apart).
  private static final Duration TTL = Duration.ofSeconds(4);

  @TempDir Path dataDir;

  private ColonyServer start(int port) {
    return ColonyServer.newBuilder()
        .setHost("127.0.0.1")
        .setPort(port)
        .setDataDir(dataDir)
        .build()
        .start();
  }

  private static ColonyClient connect(int port) {
    return Colony.connect(
        ColonyOptions.newBuilder()
            .setTarget("127.0.0.1:" + port)
            .setClientName("lock-across-restart")
            .setSessionTtl(TTL)
            .build());
  }

  @Test
  void aCoordinatorDownLongerThanTheLease_comesBack_andTheHolderStillHoldsItsLock()
      throws Exception {
    ColonyServer server = start(0);
    int port = server.port();
    try (ColonyClient holder = connect(port)) {
      ColonyLock lock = holder.lock("L");
      lock.lock();
      long token = lock.fencingToken();

      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
      Thread.sleep(TTL.toMillis() + 1_000); // down for longer than a lease
      server = start(port);

      // Asked at once, before the client re-attached on its own: it confirms with the coordinator.
      assertTrue(lock.isHeldByCurrentThread(), "held right after the coordinator came back");
      assertEquals(token, lock.fencingToken());
      try (ColonyClient other = connect(port)) {
        assertFalse(
            other.lock("L").tryLock(500, TimeUnit.MILLISECONDS),
            "another session gets the lock while the holder lives");
      }
      assertTrue(lock.isHeldByCurrentThread());
      lock.unlock();
    } finally {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
