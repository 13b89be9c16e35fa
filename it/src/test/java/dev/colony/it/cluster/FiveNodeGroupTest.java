package dev.colony.it.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.it.support.CoordinatorGroup;
import dev.colony.proto.v1.ClusterStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five coordinator JVMs as one group, which survives losing two: under load (one client putting
 * numbers into a queue, one incrementing a counter, each a call at a time), the leader and a
 * follower are SIGKILLed together. The other three elect a leader, the clients follow it on their
 * own, and the load goes on; every acknowledged number is in the queue exactly once and the counter
 * is exactly the acknowledged increments (give or take calls whose outcome the client never
 * learned). Then the two start again on their data directories and catch up with the leader.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FiveNodeGroupTest {
  private static final Duration RUN = Duration.ofSeconds(90);

  /** Acknowledged operations of each client before the kills, and again after them. */
  private static final long PROGRESS = 25;

  @TempDir Path dataDir;

  @Test
  void leaderAndAFollowerSigkilled_theOtherThreeServe_andTheTwoCatchUp() throws Exception {
    try (CoordinatorGroup group = CoordinatorGroup.start(5, dataDir, "--sync", "batch");
        ColonyClient client = Colony.connect(group.targets())) {
      String leader = group.awaitLeader();
      ClusterStatus cluster = group.cluster(leader);
      assertEquals(5, cluster.getNodesCount(), cluster::toString);

      ColonyQueue<Long> queue = client.queue("numbers", Long.class);
      ColonyAtomicLong counter = client.atomicLong("hits");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong putAcked = new AtomicLong();
      AtomicLong putUnknown = new AtomicLong();
      AtomicLong incrAcked = new AtomicLong();
      AtomicLong incrUnknown = new AtomicLong();
      ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Long> unknown = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      Thread producer =
          thread(
              "producer",
              () -> {
                for (long n = 0; !stop.get(); n++) {
                  try {
                    queue.put(n);
                    acknowledged.add(n);
                    putAcked.incrementAndGet();
                  } catch (InterruptedException e) {
                    return;
                  } catch (RuntimeException e) {
                    unknown.add(n);
                    putUnknown.incrementAndGet();
                    errors.add(e);
                  }
                }
              });
      Thread incrementer =
          thread(
              "incrementer",
              () -> {
                while (!stop.get()) {
                  try {
                    counter.incrementAndGet();
                    incrAcked.incrementAndGet();
                  } catch (RuntimeException e) {
                    incrUnknown.incrementAndGet();
                    errors.add(e);
                  }
                }
              });
      List<String> killed = new ArrayList<>();
      killed.add(leader);
      for (var node : cluster.getNodesList()) {
        if (!node.getId().equals(leader)) {
          killed.add(node.getId());
          break;
        }
      }
      try {
        awaitProgress(putAcked, incrAcked, "before the kills");
        for (String id : killed) {
          group.kill(id);
        }
        List<String> rest = new ArrayList<>();
        for (var node : cluster.getNodesList()) {
          if (!killed.contains(node.getId())) {
            rest.add(node.getId());
          }
        }
        String next = group.awaitLeaderAmong(rest);
        assertNotEquals(leader, next);
        awaitProgress(putAcked, incrAcked, "with " + killed + " down, under " + next);
      } finally {
        stop.set(true);
        producer.join(RUN.toMillis());
        incrementer.join(RUN.toMillis());
      }
      assertTrue(!producer.isAlive() && !incrementer.isAlive(), "the load threads stopped");

      // Read through the read index of the new leader: exact, give or take unknown outcomes.
      long hits = counter.get();
      assertTrue(
          hits >= incrAcked.get() && hits <= incrAcked.get() + incrUnknown.get(),
          "counter "
              + hits
              + " after "
              + incrAcked.get()
              + " acknowledged increments and "
              + incrUnknown.get()
              + " of unknown outcome ("
              + errors
              + ")");
      Set<Long> taken = new HashSet<>();
      Long item;
      while ((item = queue.poll()) != null) {
        assertTrue(taken.add(item), "number " + item + " taken twice");
      }
      Set<Long> missing = new HashSet<>(acknowledged);
      missing.removeAll(taken);
      assertEquals(Set.of(), missing, "acknowledged numbers not in the queue");
      taken.removeAll(acknowledged);
      taken.removeAll(unknown);
      assertEquals(Set.of(), taken, "numbers in the queue that were never put");

      group.restart(killed);
      String now = group.awaitLeader();
      for (String id : killed) {
        group.awaitCaughtUp(now, id);
      }
      assertEquals(hits, counter.get(), "the counter once the two caught up");
      assertNull(queue.poll(), "the queue once the two caught up");
    }
  }

  private static void awaitProgress(AtomicLong puts, AtomicLong increments, String when) {
    long putsFrom = puts.get();
    long incrementsFrom = increments.get();
    await(PROGRESS + " more acknowledged puts and increments " + when)
        .atMost(RUN)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                puts.get() >= putsFrom + PROGRESS && increments.get() >= incrementsFrom + PROGRESS);
  }

  private static Thread thread(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
