package dev.colony.it.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.it.apps.CounterApp;
import dev.colony.it.apps.FencedTurnsApp;
import dev.colony.it.support.CoordinatorGroup;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader is frozen (SIGSTOP) while clients count and take turns on a lock: to the other two it
 * is cut off, so they elect a new leader and the clients follow it. When the old leader carries on
 * (SIGCONT) it finds a newer term, stops leading, turns its clients away and rejoins as a follower
 * that catches up. Every increment counts once and no fencing token is granted twice or goes
 * backwards, across both leaders.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PausedLeaderTest {
  private static final int INCREMENTS = 1_500;
  private static final int TURNS = 300;
  private static final Duration RUN = Duration.ofSeconds(150);

  @TempDir Path dataDir;

  @Test
  void aFrozenLeaderIsReplaced_andRejoinsAsAFollower_countsAndTokensStayExact() throws Exception {
    try (CoordinatorGroup group = CoordinatorGroup.start(3, dataDir, "--sync", "batch");
        ProcessGroup clients = new ProcessGroup()) {
      String leader = group.awaitLeader();
      String targets = group.targets();
      JavaProcess counter =
          clients.add(
              JavaProcess.start(
                  "counter", CounterApp.class, targets, "hits", String.valueOf(INCREMENTS), "2"));
      JavaProcess locker =
          clients.add(
              JavaProcess.start(
                  "locker", FencedTurnsApp.class, targets, "turns", String.valueOf(TURNS)));
      await("a fifth of the increments")
          .atMost(RUN)
          .until(() -> numbers(counter, "INC ").size() >= INCREMENTS / 5);

      group.process(leader).pause(true);
      String next;
      try {
        next = group.awaitLeader();
      } finally {
        group.process(leader).pause(false);
      }
      assertNotEquals(leader, next);
      group.awaitCaughtUp(next, leader);

      assertEquals(0, counter.waitFor(RUN), "counter exit code");
      assertEquals(0, locker.waitFor(RUN), "locker exit code");
      List<Long> returned = new ArrayList<>(numbers(counter, "INC "));
      returned.sort(null);
      assertEquals(
          LongStream.rangeClosed(1, INCREMENTS).boxed().toList(),
          returned,
          "the values incrementAndGet returned are 1.." + INCREMENTS + ", each once");
      List<Long> tokens = numbers(locker, "TOKEN ");
      assertEquals(TURNS, tokens.size(), "turns on the lock");
      for (int i = 1; i < tokens.size(); i++) {
        assertTrue(tokens.get(i) > tokens.get(i - 1), "tokens go forward: " + tokens);
      }
      assertEquals(TURNS, new HashSet<>(tokens).size(), "no token granted twice");
    }
  }

  private static List<Long> numbers(JavaProcess process, String prefix) {
    List<Long> numbers = new ArrayList<>();
    for (String line : process.lines()) {
      if (line.startsWith(prefix)) {
        numbers.add(Long.parseLong(line.substring(prefix.length())));
      }
    }
    return numbers;
  }
}
