package dev.colony.it.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.it.apps.LockHolderApp;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A lock held across SIGKILLs of its coordinator stays with its holder; tokens only grow. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LockAcrossKillTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String LOCK = "L";

  @TempDir Path dataDir;

  @Test
  void lockHeldBeforeKill_isHeldBySameSessionAfterRestart_andFencingTokensNeverGoBack()
      throws Exception {
    List<Long> tokens = new ArrayList<>();
    try (CoordinatorProcess coordinator = CoordinatorProcess.startDurable(dataDir);
        ColonyClient other = Colony.connect(coordinator.target())) {
      ColonyLock lock = other.lock(LOCK);
      for (int i = 0; i < 3; i++) {
        lock.lock();
        tokens.add(lock.fencingToken());
        lock.unlock();
      }

      try (JavaProcess holder =
          JavaProcess.start("lock-holder", LockHolderApp.class, coordinator.target(), LOCK)) {
        long held = Long.parseLong(holder.awaitLineStartingWith("TOKEN ", WAIT).substring(6));
        tokens.add(held);
        assertFalse(lock.tryLock(), "tryLock of another session while the holder has it");

        coordinator.kill();
        coordinator.restart();

        other.atomicLong("ping").incrementAndGet(); // this client is back on the coordinator
        holder.send("CHECK");
        assertEquals("HELD true " + held, holder.awaitLineStartingWith("HELD ", WAIT));
        assertFalse(
            lock.tryLock(500, TimeUnit.MILLISECONDS),
            "tryLock of another session after the restart");
        holder.send("UNLOCK");
        assertEquals(
            "UNLOCKED",
            holder.awaitLine(l -> l.equals("UNLOCKED") || l.startsWith("FAILED"), WAIT),
            "the holder unlocks after the restart");
        holder.send("EXIT");
        assertEquals(0, holder.waitFor(WAIT), holder + " exit code");
      }

      // This JVM's client holds the lock across a second kill.
      assertTrue(lock.tryLock(WAIT.toSeconds(), TimeUnit.SECONDS), "lock after the holder left");
      long mine = lock.fencingToken();
      tokens.add(mine);
      coordinator.kill();
      coordinator.restart();
      assertTrue(lock.isHeldByCurrentThread());
      assertEquals(mine, lock.fencingToken());
      try (ColonyClient third = Colony.connect(coordinator.target())) {
        assertFalse(
            third.lock(LOCK).tryLock(500, TimeUnit.MILLISECONDS),
            "tryLock of a new session while this one holds it across the restart");
      }
      lock.unlock();
      for (int i = 0; i < 2; i++) {
        lock.lock();
        tokens.add(lock.fencingToken());
        lock.unlock();
      }
    }
    for (int i = 1; i < tokens.size(); i++) {
      assertTrue(tokens.get(i) > tokens.get(i - 1), "fencing tokens in order taken: " + tokens);
    }
  }
}
