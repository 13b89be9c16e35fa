package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyQueue;
import dev.colony.it.support.AgentProcess;
import dev.colony.it.support.CoordinatorProcess;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Synchronisation across processes: two agent JVMs and the test JVM share one coordinator JVM. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoordinationTest {

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final Duration EXPECTED_TO_ELAPSE = Duration.ofMillis(100);

  private static CoordinatorProcess coordinator;
  private static AgentProcess first;
  private static AgentProcess second;

  private ColonyClient client;

  @BeforeAll
  static void startJvms() throws TimeoutException {
    coordinator = CoordinatorProcess.start();
    first = AgentProcess.start("agent-1", coordinator.target());
    second = AgentProcess.start("agent-2", coordinator.target());
  }

  @AfterAll
  static void stopJvms() {
    for (AutoCloseable c : new AutoCloseable[] {first, second, coordinator}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // Best effort: the reaper hook kills what is left.
      }
    }
  }

  @BeforeEach
  void connect() {
    client = Colony.connect(coordinator.target());
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private static String name(String base) {
    return base + "-" + NAMES.incrementAndGet();
  }

  @Test
  void barrier_ofThreeJvms_releasesAllWithDistinctArrivalIndexes() throws Exception {
    String barrier = name("barrier");
    String a = first.begin("barrier", barrier, 3);
    String b = second.begin("barrier", barrier, 3);
    int mine = client.barrier(barrier, 3).await(30, TimeUnit.SECONDS);
    Set<Integer> indexes = new HashSet<>(Set.of(mine));
    indexes.add(Integer.parseInt(first.awaitResult(a)));
    indexes.add(Integer.parseInt(second.awaitResult(b)));
    assertEquals(Set.of(0, 1, 2), indexes);
  }

  @Test
  void event_setInTestJvm_wakesWaiterInAgentJvm() throws Exception {
    String event = name("event");
    String waiting = first.begin("eventWait", event, 30_000);
    assertEquals("false", second.call("eventWait", event, EXPECTED_TO_ELAPSE.toMillis()));
    client.event(event).set();
    assertEquals("true", first.awaitResult(waiting));
    assertTrue(client.event(event).isSet());
  }

  @Test
  void condition_signalFromTestJvm_wakesAwaitingAgentJvm() throws Exception {
    String lockName = name("lock");
    String flagName = name("flag");
    String step = first.begin("conditionWait", lockName, flagName);
    first.awaitProgress(step, "WAITING");
    ColonyLock lock = client.lock(lockName);
    Condition condition = lock.newCondition();
    // The agent reported while holding the lock: we get it only once its await released it.
    assertTrue(lock.tryLock(30, TimeUnit.SECONDS));
    try {
      client.atomicLong(flagName).set(1);
      condition.signal();
    } finally {
      lock.unlock();
    }
    assertEquals("true", first.awaitResult(step));
  }

  @Test
  void rlock_heldTwiceInAgentJvm_staysHeldUntilBothUnlocks() throws Exception {
    String rlockName = name("rlock");
    String step1 = name("step");
    String step2 = name("step");
    String step = first.begin("rlockTwice", rlockName, step1, step2);
    String[] held = first.awaitProgress(step, "HELD");
    assertEquals("2", held[2]);
    long agentToken = Long.parseLong(held[3]);
    ColonyLock rlock = client.rlock(rlockName);
    assertFalse(tryLockElsewhere(rlock));
    client.event(step1).set();
    assertEquals("1", first.awaitProgress(step, "ONE")[2]);
    assertFalse(tryLockElsewhere(rlock));
    client.event(step2).set();
    assertEquals("0", first.awaitResult(step));
    assertTrue(rlock.tryLock(10, TimeUnit.SECONDS));
    try {
      assertTrue(rlock.fencingToken() > agentToken);
    } finally {
      rlock.unlock();
    }
  }

  private static boolean tryLockElsewhere(ColonyLock lock) throws Exception {
    boolean acquired = lock.tryLock(EXPECTED_TO_ELAPSE.toMillis(), TimeUnit.MILLISECONDS);
    if (acquired) {
      lock.unlock();
    }
    return acquired;
  }

  @Test
  void semaphore_sharedByTwoJvms_neverHasMoreHoldersThanPermits() throws Exception {
    int permits = 2;
    String semaphore = name("semaphore");
    String guard = name("guard");
    String holders = name("holders");
    String most = name("most");
    Object[] args = {semaphore, permits, guard, holders, most, 3, 10};
    String a = first.begin("semaphoreWork", args);
    String b = second.begin("semaphoreWork", args);
    assertEquals("done", first.awaitResult(a, Duration.ofSeconds(60)));
    assertEquals("done", second.awaitResult(b, Duration.ofSeconds(60)));
    ColonyAtomicLong mostHolders = client.atomicLong(most);
    assertTrue(mostHolders.get() >= 1 && mostHolders.get() <= permits, "most " + mostHolders.get());
    assertEquals(0, client.atomicLong(holders).get());
    assertEquals(permits, client.semaphore(semaphore, permits).availablePermits());
  }

  @Test
  void queueJoin_returnsOnceAnotherJvmMarkedEveryItemDone() throws Exception {
    String queueName = name("joinable");
    ColonyQueue<String> queue = client.queue(queueName, String.class);
    queue.put("a");
    queue.put("b");
    queue.put("c");
    assertFalse(queue.join(EXPECTED_TO_ELAPSE.toMillis(), TimeUnit.MILLISECONDS));
    String work = first.begin("queueWork", queueName, 3);
    CompletableFuture<Boolean> joined =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.join(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertEquals("a,b,c", first.awaitResult(work));
    assertTrue(joined.get(30, TimeUnit.SECONDS));
  }

  @Test
  void poll_onEmptyQueueInAgentJvm_returnsNullAfterTimeout() throws Exception {
    String queueName = name("empty");
    String[] result = second.call("poll", queueName, 300).split(" ");
    assertEquals("null", result[0]);
    assertTrue(Long.parseLong(result[1]) >= 290, "waited " + result[1] + " ms");
  }
}
