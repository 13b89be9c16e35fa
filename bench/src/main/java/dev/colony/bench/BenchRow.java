package dev.colony.bench;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The rows colony bench can run, in the order it runs them; names for {@code --only}. */
enum BenchRow {
  QUEUE_PAIR("queue_pair"),
  QUEUE_PAIR_CLIENTS("queue_pair_clients"),
  QUEUE_ASYNC("queue_async"),
  LOCK_PAIR("lock_pair"),
  COUNTER_INCR("counter_incr"),
  VALUE_SET_GET("value_set_get"),
  DICT_PUT_GET("dict_put_get"),
  TASK_BATCH_1PER_MSG("task_batch_1per_msg"),
  TASK_BATCH_CHUNKED("task_batch_chunked"),
  TASK_ROUNDTRIP("task_roundtrip");

  private final String selector;

  BenchRow(String selector) {
    this.selector = selector;
  }

  String selector() {
    return selector;
  }

  boolean needsWorkers() {
    return this == TASK_BATCH_1PER_MSG || this == TASK_BATCH_CHUNKED || this == TASK_ROUNDTRIP;
  }

  /** Every row. */
  static Set<BenchRow> all() {
    return EnumSet.allOf(BenchRow.class);
  }

  /** Parses comma-separated selectors, e.g. {@code queue_pair,task_roundtrip}. */
  static Set<BenchRow> parse(String list) {
    Set<BenchRow> rows = EnumSet.noneOf(BenchRow.class);
    for (String part : list.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      rows.add(
          Arrays.stream(values())
              .filter(r -> r.selector.equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown row '" + part.trim() + "'; rows: " + selectors())));
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows named; rows: " + selectors());
    }
    return rows;
  }

  static String selectors() {
    return Arrays.stream(values()).map(BenchRow::selector).collect(Collectors.joining(", "));
  }
}
