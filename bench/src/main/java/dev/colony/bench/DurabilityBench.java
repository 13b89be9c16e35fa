package dev.colony.bench;

import dev.colony.client.Colony;
import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyQueue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code colony bench --durability}: three measurements of a durable coordinator ({@code colony
 * coordinator --data-dir DIR --sync always|batch}, child JVMs as for the other rows), each beside
 * its target, all from this one run:
 *
 * <ol>
 *   <li>restart to serving: a durable coordinator takes {@code loadOps} counter increments, is
 *       SIGKILLed and started again on the same directory; the time from starting the JVM to the
 *       first call that reads the final counter (target: under 3 s);
 *   <li>the data directory's size, sampled while a steady queue put+poll load runs (the queue stays
 *       small): it must stay under a bound, not grow with the operations, as snapshots purge the
 *       log;
 *   <li>throughput of counter increments from {@code clients} concurrent connections against an
 *       in-memory coordinator and durable ones ({@code --sync always}, {@code --sync batch}), side
 *       by side (target: durable at least half of in-memory).
 * </ol>
 */
final class DurabilityBench {
  private static final List<String> SYNC_ALWAYS = List.of("--sync", "always");

  private final DurabilityParams params;
  private final String launcherMain;
  private final Path logs;
  private final Path dataRoot;
  private final PrintWriter out;
  private final List<String> errors = new ArrayList<>();
  private final String run = Long.toString(System.nanoTime(), 36);

  DurabilityBench(
      DurabilityParams params, String launcherMain, Path logs, Path dataRoot, PrintWriter out) {
    this.params = params;
    this.launcherMain = launcherMain;
    this.logs = logs;
    this.dataRoot = dataRoot;
    this.out = out;
  }

  /** What the run found, as JSON; failures are in {@code errors}. */
  Map<String, Object> run() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("started_utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    long t0 = System.nanoTime();
    report.put("restart", phase("restart", this::restart));
    report.put("data_dir_size", phase("data_dir_size", this::steadySize));
    report.put("throughput", phase("throughput", this::throughput));
    report.put("wall_seconds", Percentiles.round1((System.nanoTime() - t0) / 1e9));
    report.put("errors", List.copyOf(errors));
    return report;
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  @FunctionalInterface
  private interface Phase {
    Map<String, Object> run(Map<String, Object> figures) throws Exception;
  }

  private Map<String, Object> phase(String name, Phase phase) {
    Map<String, Object> figures = new LinkedHashMap<>();
    try {
      phase.run(figures);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add(name + ": interrupted");
    } catch (Exception | AssertionError e) {
      errors.add(name + ": " + e);
      out.println("   " + name + " FAILED: " + e);
      figures.put("error", e.toString());
    }
    out.println();
    out.flush();
    return figures;
  }

  // 1. Restart to serving.

  private Map<String, Object> restart(Map<String, Object> figures) throws Exception {
    Path dir = dataRoot.resolve("restart-" + run);
    List<String> args = durableArgs(dir, SYNC_ALWAYS);
    String counterName = "bench.durable.counter." + run;
    out.printf(
        Locale.ROOT,
        "1. Restart to serving after %,d counter increments (--sync always, data in %s)%n",
        params.loadOps(),
        dir);
    out.flush();
    try {
      long t0 = System.nanoTime();
      ProcessCluster.Coordinator first =
          ProcessCluster.startCoordinator(launcherMain, logs, "durable-restart-first", args);
      ConcurrentLoad.Result load;
      try {
        double coldStart;
        try (ColonyClient client = connect(first.target())) {
          client.atomicLong(counterName).get();
          coldStart = (System.nanoTime() - t0) / 1e9;
        }
        figures.put("first_start_to_serving_seconds", Percentiles.round3(coldStart));
        load =
            withClients(
                first.target(),
                params.loadClients(),
                clients -> {
                  ConcurrentLoad concurrent =
                      new ConcurrentLoad(clients, params.loadThreadsPerClient());
                  return concurrent.run(
                      params.loadOps(),
                      DurabilityParams.LOAD_MAX_SECONDS,
                      client -> {
                        ColonyAtomicLong counter = client.atomicLong(counterName);
                        return i -> counter.incrementAndGet();
                      });
                });
        out.printf(
            Locale.ROOT,
            "   load: %,d x incrementAndGet() on one counter from %d clients x %d threads (%d calls"
                + " in flight), %.1f s, %,.0f ops/s%s%n",
            load.ops(),
            params.loadClients(),
            params.loadThreadsPerClient(),
            params.loadClients() * params.loadThreadsPerClient(),
            load.seconds(),
            load.opsPerSecond(),
            load.truncated() ? " (truncated at its time cap)" : "");
        figures.put("ops", load.ops());
        figures.put("load_seconds", Percentiles.round3(load.seconds()));
        figures.put("load_ops_per_s", Percentiles.round1(load.opsPerSecond()));
        DataDir.Usage before = DataDir.usage(dir);
        out.printf(
            Locale.ROOT,
            "   data dir before the kill: %s in %d files%s%n",
            DataDir.format(before.bytes()),
            before.files(),
            snapshotText(before));
        figures.put("data_dir_bytes_before_kill", before.bytes());
      } finally {
        first.jvm().kill();
      }

      long t1 = System.nanoTime();
      ProcessCluster.Coordinator second =
          ProcessCluster.startCoordinator(launcherMain, logs, "durable-restart-second", args);
      try {
        long listening = System.nanoTime();
        long value;
        long serving;
        try (ColonyClient client = connect(second.target())) {
          value = client.atomicLong(counterName).get();
          serving = System.nanoTime();
        }
        double total = (serving - t1) / 1e9;
        double replay = (listening - t1) / 1e9;
        boolean met = total < DurabilityParams.RESTART_TARGET_SECONDS;
        out.printf(
            Locale.ROOT,
            "   SIGKILL, then restart on the same dir to serving: %.2f s (JVM start + replay until"
                + " it listens %.2f s; connect + get() %.2f s); target under %.0f s: %s%n",
            total,
            replay,
            total - replay,
            DurabilityParams.RESTART_TARGET_SECONDS,
            met ? "met" : "NOT MET");
        out.printf(
            Locale.ROOT,
            "   for scale: the first start, on the empty dir, served after %.2f s%n",
            figures.get("first_start_to_serving_seconds"));
        figures.put("restart_to_serving_seconds", Percentiles.round3(total));
        figures.put("restart_to_listening_seconds", Percentiles.round3(replay));
        figures.put("counter_after_restart", value);
        figures.put("target_seconds", DurabilityParams.RESTART_TARGET_SECONDS);
        figures.put("target_met", met);
        if (value != load.ops()) {
          throw new IllegalStateException(
              "the counter reads " + value + " after the restart, expected " + load.ops());
        }
        out.printf(Locale.ROOT, "   counter after the restart: %,d (as before the kill)%n", value);
      } finally {
        second.jvm().close();
      }
    } finally {
      DataDir.delete(dir);
    }
    return figures;
  }

  // 2. Data directory size under a steady load.

  private Map<String, Object> steadySize(Map<String, Object> figures) throws Exception {
    Path dir = dataRoot.resolve("steady-" + run);
    long pairs = params.loadOps() / 2;
    String queueName = "bench.durable.queue." + run;
    out.printf(
        Locale.ROOT,
        "2. Data dir size under a steady load: %,d queue put(x) + poll(10 s) pairs (%,d ops) from"
            + " %d clients x %d threads; the queue holds at most %d items (--sync always)%n",
        pairs,
        pairs * 2,
        params.loadClients(),
        params.loadThreadsPerClient(),
        params.loadClients() * params.loadThreadsPerClient());
    out.flush();
    try {
      ProcessCluster.Coordinator coordinator =
          ProcessCluster.startCoordinator(
              launcherMain, logs, "durable-steady", durableArgs(dir, SYNC_ALWAYS));
      List<SizeSampler.Sample> samples;
      ConcurrentLoad.Result load;
      try {
        List<ColonyClient> clients = connectAll(coordinator.target(), params.loadClients());
        try {
          ConcurrentLoad concurrent = new ConcurrentLoad(clients, params.loadThreadsPerClient());
          try (SizeSampler sampler =
              new SizeSampler(dir, params.sampleEvery(), () -> 2 * concurrent.done())) {
            load =
                concurrent.run(
                    pairs,
                    DurabilityParams.LOAD_MAX_SECONDS,
                    client -> {
                      ColonyQueue<Long> queue = client.queue(queueName, Long.class);
                      return i -> BenchClientMain.queuePair(queue, i);
                    });
            samples = sampler.stop();
          }
        } finally {
          clients.forEach(ColonyClient::close);
        }
      } finally {
        coordinator.jvm().close();
      }
      long max = SizeSampler.maxBytes(samples);
      boolean under = max <= params.sizeBoundBytes();
      double growth = SizeSampler.growth(samples);
      out.printf(
          Locale.ROOT,
          "   %,d ops in %.1f s (%,.0f ops/s); size every %s ms (t=<seconds> <size> @<ops done>):%n",
          load.ops() * 2,
          load.seconds(),
          load.ops() * 2 / load.seconds(),
          params.sampleEvery().toMillis());
      out.print(SizeSampler.format(samples, 5, "     "));
      out.printf(
          Locale.ROOT,
          "   max %s; bound %s: %s; largest size in the second half of the ops / in the first"
              + " half: %.2f; newest snapshot at log index %s%n",
          DataDir.format(max),
          DataDir.format(params.sizeBoundBytes()),
          under ? "stayed under it" : "NOT under it",
          growth,
          SizeSampler.lastSnapshotIndex(samples).stream()
              .mapToObj(i -> String.format(Locale.ROOT, "%,d", i))
              .findFirst()
              .orElse("none"));
      if (SizeSampler.lastSnapshotIndex(samples).isEmpty()) {
        out.println(
            "   no snapshot was taken (one comes every 2,000 log entries), so nothing was purged:"
                + " too few ops to show the bound; raise --durable-ops");
      }
      figures.put("ops", load.ops() * 2);
      figures.put("seconds", Percentiles.round3(load.seconds()));
      figures.put("max_bytes", max);
      figures.put("bound_bytes", params.sizeBoundBytes());
      figures.put("under_bound", under);
      figures.put("growth_second_half_over_first", Double.isNaN(growth) ? null : growth);
      figures.put(
          "samples",
          samples.stream()
              .map(s -> List.of(Percentiles.round3(s.seconds()), s.ops(), s.bytes()))
              .toList());
    } finally {
      DataDir.delete(dir);
    }
    return figures;
  }

  // 3. Durable against in-memory throughput.

  /** Threads per client of the second comparison: several calls in flight per connection. */
  private static final int PIPELINED_THREADS = 8;

  private static final int FSYNC_SAMPLES = 200;

  private Map<String, Object> throughput(Map<String, Object> figures) throws Exception {
    out.printf(
        Locale.ROOT,
        "3. Durable against in-memory: incrementAndGet() on one counter from %d clients (own"
            + " connection each, synchronous calls), %,d timed per thread after %,d warm-up; first"
            + " one thread per client, then %d; a fresh coordinator JVM per mode%n",
        params.clients(),
        params.count(),
        params.warmup(),
        PIPELINED_THREADS);
    out.flush();
    record Mode(String name, List<String> args) {}
    List<Mode> modes =
        List.of(
            new Mode("in-memory", List.of()),
            new Mode("durable --sync always", SYNC_ALWAYS),
            new Mode("durable --sync batch", List.of("--sync", "batch")));
    List<Map<String, Object>> synchronous = new ArrayList<>();
    List<Map<String, Object>> pipelined = new ArrayList<>();
    for (Mode mode : modes) {
      String slug = mode.name().replace("--sync ", "").replace(' ', '-');
      Path dir = dataRoot.resolve("throughput-" + slug + "-" + run);
      List<String> args = mode.args().isEmpty() ? List.of() : durableArgs(dir, mode.args());
      try {
        ProcessCluster.Coordinator coordinator =
            ProcessCluster.startCoordinator(launcherMain, logs, "throughput-" + slug, args);
        try {
          synchronous.add(row(mode.name(), increments(coordinator.target(), 1)));
          pipelined.add(row(mode.name(), increments(coordinator.target(), PIPELINED_THREADS)));
        } finally {
          coordinator.jvm().close();
        }
      } finally {
        DataDir.delete(dir);
      }
    }
    out.printf(
        Locale.ROOT,
        "   %d clients x 1 thread (%d calls in flight):%n",
        params.clients(),
        params.clients());
    printRows(synchronous);
    FsyncProbe.Result fsync = FsyncProbe.measure(dataRoot, FSYNC_SAMPLES);
    out.printf(
        Locale.ROOT,
        "   the disk: a %d-byte write + fsync in %s takes p50 %.0f µs, p99 %.0f µs (%d samples), so"
            + " %d synchronous callers reach at most %s ops/s with --sync always (one fsync per"
            + " round, nothing else)%n",
        FsyncProbe.WRITE_BYTES,
        dataRoot,
        fsync.p50Micros(),
        fsync.p99Micros(),
        fsync.samples(),
        params.clients(),
        RatioTable.rate(fsync.ceiling(params.clients())));
    out.printf(
        Locale.ROOT,
        "   %d clients x %d threads (%d calls in flight):%n",
        params.clients(),
        PIPELINED_THREADS,
        params.clients() * PIPELINED_THREADS);
    printRows(pipelined);
    figures.put("rows", synchronous);
    figures.put("pipelined_rows", pipelined);
    figures.put("pipelined_threads_per_client", PIPELINED_THREADS);
    figures.put(
        "fsync",
        Map.of(
            "samples",
            fsync.samples(),
            "p50_us",
            Percentiles.round1(fsync.p50Micros()),
            "p99_us",
            Percentiles.round1(fsync.p99Micros()),
            "ceiling_ops_per_s_synchronous",
            Percentiles.round1(fsync.ceiling(params.clients()))));
    figures.put("target_ratio", DurabilityParams.THROUGHPUT_TARGET_RATIO);
    return figures;
  }

  private ConcurrentLoad.Result increments(String target, int threads) throws Exception {
    return counterIncrements(params, target, threads, "bench.durable.throughput." + run);
  }

  /**
   * Warm-up, then timed increments of counter {@code counterName} from every client with {@code
   * threads} threads each; the group bench measures the same way.
   */
  static ConcurrentLoad.Result counterIncrements(
      DurabilityParams params, String target, int threads, String counterName) throws Exception {
    return withClients(
        target,
        params.clients(),
        clients -> {
          ConcurrentLoad load = new ConcurrentLoad(clients, threads);
          java.util.function.Function<ColonyClient, Measurement.Body> increments =
              client -> {
                ColonyAtomicLong counter = client.atomicLong(counterName);
                return i -> counter.incrementAndGet();
              };
          long perThread = (long) params.clients() * threads;
          load.run(params.warmup() * perThread, params.maxSeconds(), increments);
          return load.run(params.count() * perThread, params.maxSeconds(), increments);
        });
  }

  private Map<String, Object> row(String mode, ConcurrentLoad.Result result) {
    return counterRow(params, mode, result);
  }

  /** One coordinator's figures as the JSON report and {@link #ratioTable} take them. */
  static Map<String, Object> counterRow(
      DurabilityParams params, String coordinator, ConcurrentLoad.Result result) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("coordinator", coordinator);
    row.put("clients", params.clients());
    row.put("ops", result.ops());
    row.put("seconds", Percentiles.round3(result.seconds()));
    row.put("ops_per_s", Percentiles.round1(result.opsPerSecond()));
    row.put("p50_us", result.p50Micros());
    row.put("p99_us", result.p99Micros());
    row.put("truncated", result.truncated());
    return row;
  }

  /**
   * The rows as a table with each one's ratio to the first, headed {@code "/ " + baseName}; adds
   * that ratio to each row under {@code ratioKey}.
   */
  static String ratioTable(List<Map<String, Object>> rows, String baseName, String ratioKey) {
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"coordinator", "ops/s", "p50 µs", "p99 µs", "/ " + baseName});
    double base = (Double) rows.get(0).get("ops_per_s");
    for (Map<String, Object> row : rows) {
      double ratio = (Double) row.get("ops_per_s") / base;
      row.put(ratioKey, Percentiles.round3(ratio));
      table.add(
          new String[] {
            (String) row.get("coordinator"),
            RatioTable.rate((Double) row.get("ops_per_s"))
                + (Boolean.TRUE.equals(row.get("truncated")) ? " †" : ""),
            RatioTable.micros((Double) row.get("p50_us")),
            RatioTable.micros((Double) row.get("p99_us")),
            String.format(Locale.ROOT, "%.2fx", ratio)
          });
    }
    return TextTable.format(table, "   ");
  }

  /** Prints rows (the first is in-memory) with their ratio to it, and adds the ratio to each. */
  private void printRows(List<Map<String, Object>> rows) {
    out.print(ratioTable(rows, "in-memory", "ratio_to_in_memory"));
    for (Map<String, Object> row : rows.subList(1, rows.size())) {
      double ratio = (Double) row.get("ratio_to_in_memory");
      out.printf(
          Locale.ROOT,
          "   %s / in-memory = %.2fx; target at least %.2fx: %s%n",
          row.get("coordinator"),
          ratio,
          DurabilityParams.THROUGHPUT_TARGET_RATIO,
          ratio >= DurabilityParams.THROUGHPUT_TARGET_RATIO ? "met" : "NOT MET");
    }
    if (rows.stream().anyMatch(r -> Boolean.TRUE.equals(r.get("truncated")))) {
      out.println("   † truncated at its time cap (--max-seconds)");
    }
  }

  // Helpers.

  private static List<String> durableArgs(Path dir, List<String> sync) {
    List<String> args = new ArrayList<>(List.of("--data-dir", dir.toString()));
    args.addAll(sync);
    return args;
  }

  private static String snapshotText(DataDir.Usage usage) {
    return usage.snapshotIndex().isPresent()
        ? String.format(
            Locale.ROOT, " (newest snapshot at log index %,d)", usage.snapshotIndex().getAsLong())
        : " (no snapshot yet)";
  }

  static ColonyClient connect(String target) {
    return Colony.connect(
        ColonyOptions.newBuilder().setTarget(target).setClientName("colony-bench").build());
  }

  static List<ColonyClient> connectAll(String target, int n) {
    List<ColonyClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        clients.add(connect(target));
      }
    } catch (RuntimeException e) {
      clients.forEach(ColonyClient::close);
      throw e;
    }
    return clients;
  }

  @FunctionalInterface
  interface WithClients<T> {
    T run(List<ColonyClient> clients) throws Exception;
  }

  static <T> T withClients(String target, int n, WithClients<T> body) throws Exception {
    List<ColonyClient> clients = connectAll(target, n);
    try {
      return body.run(clients);
    } finally {
      clients.forEach(ColonyClient::close);
    }
  }
}
