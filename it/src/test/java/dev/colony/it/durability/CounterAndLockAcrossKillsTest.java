package dev.colony.it.durability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.it.apps.CounterApp;
import dev.colony.it.apps.LockHolderApp;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared AtomicLong incremented by client JVMs, and a lock held by another, across SIGKILLs of
 * their coordinator. One durable coordinator serves both, because starting and killing it is most
 * of what each costs: the first kill lands while the counter is being incremented and the lock is
 * held by another JVM, the second (once the increments are done) while this JVM holds the lock.
 * Under load the restart can take longer than a lease: the coordinator gives every session a whole
 * lease from its restart, and a holder that could not renew for a lease confirms with it before it
 * answers whether it holds the lock, so both holders must still hold theirs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CounterAndLockAcrossKillsTest {

  private static final int CLIENTS = 4;
  private static final int TOTAL = 8_000;
  private static final int THREADS = 4;
  private static final Duration RUN = Duration.ofSeconds(150);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String COUNTER = "counter";
  private static final String LOCK = "L";

  @TempDir Path dataDir;

  @Test
  void incrementsEndAtExactlyTheirNumber_eachValueOnce_andALockStaysWithItsHolder_tokensOnlyGrow()
      throws Exception {
    List<Long> tokens = new ArrayList<>();
    try (CoordinatorProcess coordinator = CoordinatorProcess.startDurable(dataDir);
        ColonyClient other = Colony.connect(coordinator.target());
        ProcessGroup counters = new ProcessGroup()) {
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

        // The incrementers start only now, so that the kill below comes in the middle of them.
        for (int c = 0; c < CLIENTS; c++) {
          counters.add(
              JavaProcess.start(
                  "counter",
                  CounterApp.class,
                  coordinator.target(),
                  COUNTER,
                  String.valueOf(TOTAL / CLIENTS),
                  String.valueOf(THREADS)));
        }
        await()
            .atMost(RUN)
            .pollInterval(Duration.ofMillis(100))
            .alias("the clients returned " + TOTAL / 3 + " increments")
            .until(
                () ->
                    counters.processes().stream().mapToLong(c -> values(c).size()).sum()
                        >= TOTAL / 3);

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

      for (JavaProcess client : counters.processes()) {
        assertEquals(0, client.waitFor(RUN), client + " exit code");
      }
      try (ColonyClient client = Colony.connect(coordinator.target())) {
        assertEquals(TOTAL, client.atomicLong(COUNTER).get());
      }
      List<Long> returned = new ArrayList<>();
      counters.processes().forEach(c -> returned.addAll(values(c)));
      returned.sort(null);
      assertEquals(TOTAL, returned.size(), "increments returned");
      List<Long> expected = LongStream.rangeClosed(1, TOTAL).boxed().toList();
      assertTrue(
          returned.equals(expected),
          () -> "the values incrementAndGet returned are not 1.." + TOTAL + " each once");

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

  private static List<Long> values(JavaProcess client) {
    List<Long> values = new ArrayList<>();
    for (String line : client.lines()) {
      if (line.startsWith("INC ")) {
        values.add(Long.parseLong(line.substring(4)));
      }
    }
    return values;
  }
}
