package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyQueue;
import dev.colony.client.Delivery;
import dev.colony.it.apps.HolderApp;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client JVM killed with -9 loses what it held once its session lease runs out. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashRecoveryTest {

  private static final Duration TTL = Duration.ofSeconds(2);

  /** The brief's promise: released within the lease plus 3 s of slack. */
  private static final Duration RECOVERY = TTL.plusSeconds(3);

  private static final Duration START = Duration.ofSeconds(30);

  private static CoordinatorProcess coordinator;

  @BeforeAll
  static void startCoordinator() throws TimeoutException {
    coordinator = CoordinatorProcess.start();
  }

  @AfterAll
  static void stopCoordinator() {
    coordinator.close();
  }

  @Test
  void lock_ofKilledJvm_passesToWaiterWithHigherFencingToken() throws Exception {
    try (ColonyClient client = Colony.connect(coordinator.target());
        JavaProcess holder = startHolder("lock", "L")) {
      long deadToken = Long.parseLong(holder.awaitLineStartingWith("TOKEN ", START).substring(6));
      ColonyLock lock = client.lock("L");
      CompletableFuture<Long> waiter =
          CompletableFuture.supplyAsync(
              () -> {
                lock.lock();
                try {
                  return lock.fencingToken();
                } finally {
                  lock.unlock();
                }
              });
      assertThrows(TimeoutException.class, () -> waiter.get(300, TimeUnit.MILLISECONDS));
      holder.kill();
      long newToken = waiter.get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
      assertTrue(newToken > deadToken, "token " + newToken + " after " + deadToken);
    }
  }

  @Test
  void unackedDelivery_ofKilledJvm_isRedeliveredToAnotherClient() throws Exception {
    try (ColonyClient client = Colony.connect(coordinator.target())) {
      ColonyQueue<String> queue = client.queue("work", String.class);
      queue.put("job-1");
      try (JavaProcess holder = startHolder("delivery", "work")) {
        assertEquals("TOOK job-1", holder.awaitLineStartingWith("TOOK ", START));
        // Held by the other session, so not visible here.
        assertNull(queue.pollDelivery(200, TimeUnit.MILLISECONDS));
        holder.kill();
        Delivery<String> redelivered =
            queue.pollDelivery(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(redelivered != null, "no redelivery within " + RECOVERY);
        assertEquals("job-1", redelivered.value());
        redelivered.ack();
      }
      assertNull(queue.poll());
    }
  }

  private static JavaProcess startHolder(String mode, String name) {
    return JavaProcess.start(
        "holder-" + mode,
        HolderApp.class,
        coordinator.target(),
        String.valueOf(TTL.toMillis()),
        mode,
        name);
  }
}
