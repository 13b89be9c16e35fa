package dev.colony.bench;

import java.time.Duration;

/**
 * Counts of {@code colony bench --durability}.
 *
 * @param loadOps operations of the restart load (counter increments) and of the steady load (queue
 *     puts and gets, two per pair)
 * @param loadClients client connections of those two loads
 * @param loadThreadsPerClient threads per connection there, each one synchronous call at a time
 * @param clients client connections of the durable / in-memory comparison, one thread each
 * @param count timed increments per client in the comparison
 * @param warmup untimed increments per client before them
 * @param maxSeconds cap of each comparison loop
 * @param sizeBoundBytes the bound the data directory must stay under during the steady load
 * @param sampleEvery how often the data directory is looked at during the steady load
 * @param quick whether these are the smoke-test counts
 */
record DurabilityParams(
    long loadOps,
    int loadClients,
    int loadThreadsPerClient,
    int clients,
    int count,
    int warmup,
    double maxSeconds,
    long sizeBoundBytes,
    Duration sampleEvery,
    boolean quick) {

  /** Restart to serving, target: under this. */
  static final double RESTART_TARGET_SECONDS = 3.0;

  /** Durable throughput over in-memory, target: at least this. */
  static final double THROUGHPUT_TARGET_RATIO = 0.5;

  /** Cap of the restart and steady loads (they are meant to run to the end). */
  static final double LOAD_MAX_SECONDS = 900;

  static final long DEFAULT_SIZE_BOUND_MIB = 64;

  DurabilityParams {
    if (loadOps < 2) {
      throw new IllegalArgumentException("durable ops must be at least 2, got " + loadOps);
    }
    if (loadClients < 1 || loadThreadsPerClient < 1 || clients < 1) {
      throw new IllegalArgumentException("clients and threads must be at least 1");
    }
    if (count < 1 || warmup < 0) {
      throw new IllegalArgumentException(
          "durable count must be at least 1 and warm-up at least 0, got " + count + ", " + warmup);
    }
    if (sizeBoundBytes < 1) {
      throw new IllegalArgumentException("size bound must be positive, got " + sizeBoundBytes);
    }
    if (!(maxSeconds > 0)) {
      throw new IllegalArgumentException("maxSeconds must be positive, got " + maxSeconds);
    }
  }

  static DurabilityParams fullCounts(double maxSeconds) {
    return new DurabilityParams(
        1_000_000,
        8,
        8,
        8,
        5_000,
        1_000,
        maxSeconds,
        DEFAULT_SIZE_BOUND_MIB << 20,
        Duration.ofSeconds(1),
        false);
  }

  static DurabilityParams quickCounts(double maxSeconds) {
    return new DurabilityParams(
        10_000,
        8,
        8,
        8,
        300,
        100,
        maxSeconds,
        DEFAULT_SIZE_BOUND_MIB << 20,
        Duration.ofMillis(500),
        true);
  }

  DurabilityParams with(Long ops, Integer clients, Integer count, Long sizeBoundMib) {
    return new DurabilityParams(
        ops != null ? ops : loadOps,
        loadClients,
        loadThreadsPerClient,
        clients != null ? clients : this.clients,
        count != null ? count : this.count,
        count != null ? Math.max(0, count / 5) : warmup,
        maxSeconds,
        sizeBoundMib != null ? sizeBoundMib << 20 : sizeBoundBytes,
        sampleEvery,
        quick);
  }
}
