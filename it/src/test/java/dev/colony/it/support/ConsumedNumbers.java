package dev.colony.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What consumer JVMs ({@code NumberConsumerApp}) printed, one {@code GOT <n>} line per number
 * taken, and the check that numbers {@code 0..total-1} were each taken exactly once.
 */
public final class ConsumedNumbers {
  private ConsumedNumbers() {}

  /** The numbers {@code consumer} printed, in order. */
  public static List<Long> of(JavaProcess consumer) {
    List<Long> got = new ArrayList<>();
    for (String line : consumer.lines()) {
      if (line.startsWith("GOT ")) {
        got.add(Long.parseLong(line.substring(4)));
      }
    }
    return got;
  }

  /** Waits until the consumers together have printed at least {@code count} numbers. */
  public static void await(ProcessGroup consumers, int count, Duration atMost) {
    org.awaitility.Awaitility.await("consumers printed " + count + " numbers")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> consumers.processes().stream().mapToLong(c -> of(c).size()).sum() >= count);
  }

  /** Asserts that every number in {@code 0..total-1} was printed by exactly one consumer once. */
  public static void assertEachExactlyOnce(ProcessGroup consumers, long total) {
    Map<Long, List<String>> takenBy = new HashMap<>();
    for (JavaProcess consumer : consumers.processes()) {
      for (long n : of(consumer)) {
        takenBy.computeIfAbsent(n, k -> new ArrayList<>()).add(consumer.name());
      }
    }
    List<String> twice =
        takenBy.entrySet().stream()
            .filter(e -> e.getValue().size() > 1)
            .limit(20)
            .map(e -> e.getKey() + " by " + e.getValue())
            .toList();
    assertTrue(twice.isEmpty(), () -> "numbers consumed more than once (first 20): " + twice);
    List<Long> lost = new ArrayList<>();
    for (long n = 0; n < total; n++) {
      if (!takenBy.containsKey(n)) {
        lost.add(n);
      }
    }
    assertTrue(
        lost.isEmpty(),
        () ->
            lost.size()
                + " numbers never consumed, first: "
                + lost.subList(0, Math.min(20, lost.size())));
    assertEquals(total, takenBy.size(), "distinct numbers consumed");
  }
}
