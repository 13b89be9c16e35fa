package dev.colony.bench;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code colony bench}: the peers' operations (shared/peers/README.md) measured through the SDK
 * against a coordinator and workers it starts as child JVMs, written in the peers' JSON format and
 * compared with the peers' result files.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures Colony on the peers' benchmark operations (queue, lock, counter, value and dict"
          + " pairs; task batches and round trips) and compares each row with the best peer's"
          + " figure.",
      "Starts its own coordinator JVM and worker JVMs on 127.0.0.1 (children of this process, from"
          + " the same java and classpath); this process is the client: one thread, synchronous"
          + " calls. The multi-client queue row runs in separate client JVMs.",
      "Counts as the peers' harness: 20000 object ops after 5000 warm-up, 10000 pairs per client,"
          + " 100000 pool items, 5000 round trips; --quick uses its tiny counts (about 30 s).",
      "--durability measures the durable coordinator (--data-dir) instead, all in this one run:"
          + " (1) a --sync always coordinator takes 1,000,000 counter increments (8 connections x"
          + " 8 threads), is SIGKILLed and started again on the same data dir: the time from"
          + " starting its JVM to the first call that reads the final counter (target: under 3 s);"
          + " (2) the data dir's size, sampled every second under a steady load of 1,000,000 queue"
          + " operations (put + poll pairs, the queue stays small) (target: stays under"
          + " --size-bound-mib, as snapshots purge the log); (3) counter increments from 8"
          + " concurrent clients against in-memory, --sync always and --sync batch coordinators"
          + " side by side: ops/s, p50/p99 and the ratio (target: durable at least 0.5x"
          + " in-memory). With --quick: 10,000 operations per load and 300 increments per client,"
          + " a smoke test.",
      "--group measures a replicated group of three coordinators (default settings) instead:"
          + " (1) failover: while one client increments a counter, the leader is SIGKILLed"
          + " (--kills times, the node started again and caught up in between): the time from the"
          + " kill to the first acknowledged increment started after it (target: under 3 s);"
          + " (2) counter increments from 8 concurrent clients against one durable coordinator"
          + " (--data-dir) and the group side by side: ops/s, p50/p99 and the ratio. --quick,"
          + " --durable-clients and --durable-count apply as for --durability.",
      "--footprint measures memory and scaling instead: (1) the coordinator's heap per blocked"
          + " take, with 10,000 takes parked on one queue (1,000 per session); (2) its heap with"
          + " 1,000,000 queued 100-byte items (target: at most 250 MiB); (3) an idle worker"
          + " daemon's heap (target: under 64 MiB); (4) tasks one per message (20,000, or"
          + " --pool-items) on 1, 2 and 4 worker JVMs. Heaps are read with jcmd after a full GC."
          + " --quick: 500 takes, 20,000 items, 1 and 2 workers, 200 tasks."
    })
public final class BenchCommand implements Callable<Integer> {
  static final String PEERS_ENV = "COLONY_PEERS_RESULTS";

  @Spec CommandSpec spec;

  @Option(
      names = "--quick",
      description = "Tiny counts: a smoke test of the whole bench (or of --durability).")
  boolean quick;

  @Option(
      names = "--runs",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Runs, each with a fresh cluster; the table quotes medians (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--max-seconds",
      defaultValue = "20",
      paramLabel = "S",
      description = "Time cap of each warm-up and each timed loop (default: ${DEFAULT-VALUE}).")
  double maxSeconds;

  @Option(
      names = "--out",
      defaultValue = "target/bench/colony.json",
      paramLabel = "FILE",
      description =
          "Result file, in the peers' format (default: ${DEFAULT-VALUE}); child logs go"
              + " to a logs folder beside it.")
  Path out;

  @Option(
      names = "--peers",
      paramLabel = "DIR",
      description =
          "Folder of the peers' result files (mp.json, redis.json, ...). Default: $"
              + PEERS_ENV
              + ", else shared/peers/results beside the repository (../shared from its root).")
  Path peers;

  @Option(
      names = "--with-peers",
      description =
          "Run the peers' harness (run_all.sh, copied to a folder beside --out first) in this same"
              + " run, between Colony's runs (before its only run), and compare with its figures:"
              + " ratios from one machine on one day. Takes about 5 minutes more (--quick: 1.5).")
  boolean withPeers;

  @Option(
      names = "--peers-harness",
      paramLabel = "DIR",
      description =
          "The peers' harness for --with-peers (default: shared/peers beside the repository)."
              + " Needs bash; it installs what it lacks (Debian packages, its Maven build).")
  Path peersHarness;

  @Option(
      names = "--only",
      paramLabel = "ROWS",
      description =
          "Comma-separated rows to run (default: all): queue_pair, queue_pair_clients,"
              + " queue_async, lock_pair, counter_incr, value_set_get, dict_put_get, task_batch_1per_msg,"
              + " task_batch_chunked, task_roundtrip.")
  String only;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Worker JVMs for the task rows (default: 2, as the peers' Pool(processes=2)).")
  Integer workers;

  @Option(names = "--slots", paramLabel = "N", description = "Task slots per worker (default: 4).")
  Integer slots;

  @Option(
      names = "--clients",
      paramLabel = "N",
      description = "Client JVMs of the multi-client queue row (default: 4).")
  Integer clients;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Timed iterations per object row (default: 20000; --quick 500).")
  Integer count;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description = "Warm-up iterations per object row (default: 5000; --quick 100).")
  Integer warmup;

  @Option(
      names = "--concurrent-count",
      paramLabel = "N",
      description = "Timed pairs per client in the multi-client row (default: 10000; --quick 300).")
  Integer concurrentCount;

  @Option(
      names = "--concurrent-warmup",
      paramLabel = "N",
      description =
          "Warm-up pairs per client before the start barrier (default: 200, as the peers'; --quick"
              + " 50).")
  Integer concurrentWarmup;

  @Option(
      names = "--pool-items",
      paramLabel = "N",
      description = "Items of each task batch row (default: 100000; --quick 5000).")
  Integer poolItems;

  /** Untimed items of the map before the task rows; for the bench's own tests. */
  @Option(names = "--pool-warmup-items", hidden = true, paramLabel = "N")
  Integer poolWarmupItems;

  @Option(
      names = "--latency-count",
      paramLabel = "N",
      description = "Timed task round trips (default: 5000; --quick 300).")
  Integer latencyCount;

  /** Untimed task round trips before the timed ones; for the bench's own tests. */
  @Option(names = "--latency-warmup", hidden = true, paramLabel = "N")
  Integer latencyWarmup;

  @Option(
      names = "--durability",
      description =
          "Run the durability measurements (see above) instead of the peers' rows; results go to"
              + " durability.json beside --out's default unless --out is given.")
  boolean durability;

  @Option(
      names = "--durable-ops",
      paramLabel = "N",
      description =
          "--durability: operations of the restart load and of the steady load (default:"
              + " 1000000; --quick 10000).")
  Long durableOps;

  @Option(
      names = "--durable-clients",
      paramLabel = "N",
      description =
          "--durability: concurrent client connections of the durable / in-memory comparison"
              + " (default: 8).")
  Integer durableClients;

  @Option(
      names = "--durable-count",
      paramLabel = "N",
      description =
          "--durability: timed increments per client in the comparison, after a fifth as many"
              + " untimed (default: 5000; --quick 300).")
  Integer durableCount;

  @Option(
      names = "--size-bound-mib",
      paramLabel = "MIB",
      description =
          "--durability: the bound the data dir must stay under during the steady load (default:"
              + " "
              + DurabilityParams.DEFAULT_SIZE_BOUND_MIB
              + ").")
  Long sizeBoundMib;

  @Option(
      names = "--group",
      description =
          "Run the replicated group measurements (see above) instead of the peers' rows; results"
              + " go to group.json beside --out's default unless --out is given.")
  boolean group;

  @Option(
      names = "--footprint",
      description =
          "Run the footprint measurements (see above) instead of the peers' rows; results go to"
              + " footprint.json beside --out's default unless --out is given.")
  boolean footprint;

  @Option(
      names = "--kills",
      paramLabel = "N",
      description = "--group: leader kills of the failover measurement (default: 5; --quick 1).")
  Integer kills;

  /** The class run as {@code <main> coordinator ...} and {@code <main> worker ...}. */
  @Option(names = "--launcher-main", hidden = true, defaultValue = ProcessCluster.COLONY_MAIN)
  String launcherMain;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    if ((durability ? 1 : 0) + (group ? 1 : 0) + (footprint ? 1 : 0) > 1) {
      throw new ParameterException(
          spec.commandLine(), "one of --durability, --group and --footprint at a time");
    }
    if (footprint) {
      return runFootprint(stdout);
    }
    if ((durability || group) && withPeers) {
      throw new ParameterException(
          spec.commandLine(),
          "--with-peers compares the peers' rows: not with --durability or --group");
    }
    if (durability) {
      return runDurability(stdout);
    }
    if (group) {
      return runGroup(stdout);
    }
    BenchParams params = params();
    Set<BenchRow> rows = rowsToRun();
    if (runs < 1) {
      throw new ParameterException(spec.commandLine(), "--runs must be 1 or more, got " + runs);
    }
    if (withPeers && peers != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--with-peers measures the peers in this run; --peers reads a stored run: not both");
    }
    Optional<Path> harness = withPeers ? Optional.of(harnessDirectory()) : Optional.empty();
    Path logs = out.toAbsolutePath().resolveSibling("logs");
    PeerResults peerResults = withPeers ? PeerResults.empty() : loadPeers(stdout);
    String workerText =
        rows.stream().anyMatch(BenchRow::needsWorkers)
            ? params.workers()
                + " worker JVM(s) x "
                + params.slots()
                + " slots (prefetch "
                + params.slots()
                + ")"
            : "no workers (no task rows)";
    stdout.printf(
        "colony bench%s: %d run(s); coordinator and %s on 127.0.0.1; logs in %s%n",
        params.quick() ? " --quick" : "", runs, workerText, logs);
    stdout.flush();

    long t0 = System.nanoTime();
    List<BenchRun> done = new ArrayList<>();
    BenchCluster.Factory clusters = ProcessCluster.factory(launcherMain, logs);
    // The peers run between Colony's runs, so a machine that drifts during the session shows in
    // Colony's own runs rather than all on one side of the ratio.
    int runsBeforePeers = harness.isPresent() ? runs / 2 : runs;
    for (int r = 1; r <= runs; r++) {
      if (harness.isPresent() && r == runsBeforePeers + 1) {
        peerResults = runHarness(harness.get(), params.quick(), stdout);
      }
      if (runs > 1) {
        stdout.println("run " + r + " of " + runs);
      }
      done.add(new BenchRunner(params, rows, clusters, logs, Progress.forConsole(), stdout).run());
    }
    List<ResultRow> results = runs == 1 ? done.get(0).rows() : Medians.of(done);
    Map<String, Object> meta = meta(params, done, (System.nanoTime() - t0) / 1e9);
    meta.put("peers", peerSource(peerResults, harness.isPresent()));
    BenchReport.write(out, BenchReport.toJson(done, results, meta));

    RatioTable table = RatioTable.of(results, peerResults);
    stdout.println();
    stdout.print(table.format(runs));
    printSources(stdout, peerResults, table, harness.isPresent());
    if (params.quick()) {
      stdout.println(
          "--quick: tiny counts on JVMs that have barely warmed up; a smoke test of the bench,"
              + " not figures to compare.");
    }
    List<String> errors = done.stream().flatMap(r -> r.errors().stream()).toList();
    errors.forEach(e -> stdout.println("error: " + e));
    stdout.println("Results: " + out.toAbsolutePath());
    stdout.flush();
    return errors.isEmpty() ? 0 : 1;
  }

  private int runDurability(PrintWriter stdout) throws java.io.IOException {
    if (only != null || runs != 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--durability runs its own three measurements, once: no --only, --runs");
    }
    DurabilityParams params = durabilityParams();
    Path result = resultFile("durability.json");
    Path logs = result.toAbsolutePath().resolveSibling("logs");
    Path data = result.toAbsolutePath().resolveSibling("durability-data");
    stdout.printf(
        "colony bench --durability%s: coordinator JVMs %s on 127.0.0.1, clients in this JVM;"
            + " data dirs under %s (deleted after each measurement); logs in %s%n%n",
        params.quick() ? " --quick" : "", ProcessCluster.COORDINATOR_JVM_OPTIONS, data, logs);
    stdout.flush();
    DurabilityBench bench = new DurabilityBench(params, launcherMain, logs, data, stdout);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("meta", meta(params.toString()));
    report.putAll(bench.run());
    BenchReport.write(result, report);
    if (params.quick()) {
      stdout.println(
          "--quick: small counts on JVMs that have barely warmed up; a smoke test of the"
              + " measurements, not figures to compare (the restart replays a small log).");
    }
    bench.errors().forEach(e -> stdout.println("error: " + e));
    stdout.println("Results: " + result.toAbsolutePath());
    stdout.flush();
    return bench.errors().isEmpty() ? 0 : 1;
  }

  /** --out if given, else {@code name} beside its default. */
  private Path resultFile(String name) {
    return spec.commandLine().getParseResult().hasMatchedOption("--out")
        ? out
        : out.resolveSibling(name);
  }

  /** What the durability and group reports say about the run. */
  private static Map<String, Object> meta(String params) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("peer", "Colony");
    meta.put("colony", Versions.colony());
    meta.put("java", System.getProperty("java.version"));
    meta.put("machine", machine());
    meta.put("params", params);
    return meta;
  }

  private int runGroup(PrintWriter stdout) throws java.io.IOException {
    if (only != null || runs != 1) {
      throw new ParameterException(
          spec.commandLine(), "--group runs its own two measurements, once: no --only, --runs");
    }
    int killCount = kills != null ? kills : quick ? 1 : 5;
    if (killCount < 1) {
      throw new ParameterException(spec.commandLine(), "--kills must be 1 or more");
    }
    DurabilityParams params = durabilityParams();
    Path result = resultFile("group.json");
    Path logs = result.toAbsolutePath().resolveSibling("logs");
    Path data = result.toAbsolutePath().resolveSibling("group-data");
    stdout.printf(
        "colony bench --group%s: coordinator JVMs %s on 127.0.0.1, clients in this JVM; data dirs"
            + " under %s (deleted after each measurement); logs in %s%n%n",
        params.quick() ? " --quick" : "", ProcessCluster.COORDINATOR_JVM_OPTIONS, data, logs);
    stdout.flush();
    GroupBench bench = new GroupBench(params, killCount, launcherMain, logs, data, stdout);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("meta", meta(params + ", kills=" + killCount));
    report.putAll(bench.run());
    BenchReport.write(result, report);
    if (params.quick()) {
      stdout.println(
          "--quick: small counts on JVMs that have barely warmed up; a smoke test of the"
              + " measurements, not figures to compare.");
    }
    bench.errors().forEach(e -> stdout.println("error: " + e));
    stdout.println("Results: " + result.toAbsolutePath());
    stdout.flush();
    return bench.errors().isEmpty() ? 0 : 1;
  }

  private int runFootprint(PrintWriter stdout) throws Exception {
    if (only != null || runs != 1 || withPeers) {
      throw new ParameterException(
          spec.commandLine(),
          "--footprint runs its own four measurements, once: no --only, --runs, --with-peers");
    }
    FootprintBench.Params base =
        quick ? FootprintBench.Params.quick() : FootprintBench.Params.full();
    FootprintBench.Params params =
        new FootprintBench.Params(
            base.waiters(),
            base.items(),
            base.itemBytes(),
            base.workerCounts(),
            poolItems != null ? poolItems : base.taskItems(),
            slots != null ? slots : base.slots());
    Path result = resultFile("footprint.json");
    Path logs = result.toAbsolutePath().resolveSibling("logs");
    stdout.printf(
        "colony bench --footprint%s: coordinator JVM %s and worker JVMs %s on 127.0.0.1, clients"
            + " in this JVM; heaps read with jcmd after a full GC; logs in %s%n%n",
        quick ? " --quick" : "",
        ProcessCluster.COORDINATOR_JVM_OPTIONS,
        ProcessCluster.WORKER_JVM_OPTIONS,
        logs);
    stdout.flush();
    FootprintBench bench = new FootprintBench(params, launcherMain, logs, stdout);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("meta", meta(params.toString()));
    report.putAll(bench.run());
    BenchReport.write(result, report);
    if (quick) {
      stdout.println(
          "--quick: small counts; the per-item and per-waiter figures carry the baseline's noise.");
    }
    bench.errors().forEach(e -> stdout.println("error: " + e));
    stdout.println("Results: " + result.toAbsolutePath());
    stdout.flush();
    return bench.errors().isEmpty() ? 0 : 1;
  }

  DurabilityParams durabilityParams() {
    DurabilityParams base =
        quick ? DurabilityParams.quickCounts(maxSeconds) : DurabilityParams.fullCounts(maxSeconds);
    try {
      return base.with(durableOps, durableClients, durableCount, sizeBoundMib);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  BenchParams params() {
    BenchParams base = quick ? BenchParams.quickCounts() : BenchParams.fullCounts();
    try {
      return new BenchParams(
          count != null ? count : base.count(),
          warmup != null ? warmup : base.warmup(),
          concurrentCount != null ? concurrentCount : base.concurrentCount(),
          concurrentWarmup != null ? concurrentWarmup : base.concurrentWarmup(),
          clients != null ? clients : base.clients(),
          poolItems != null ? poolItems : base.poolItems(),
          poolWarmupItems != null ? poolWarmupItems : base.poolWarmupItems(),
          latencyCount != null ? latencyCount : base.latencyCount(),
          latencyWarmup != null ? latencyWarmup : base.latencyWarmup(),
          maxSeconds,
          workers != null ? workers : base.workers(),
          slots != null ? slots : base.slots(),
          quick);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Set<BenchRow> rowsToRun() {
    try {
      return only == null ? BenchRow.all() : BenchRow.parse(only);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private PeerResults loadPeers(PrintWriter stdout) {
    Optional<Path> dir = peersDirectory();
    if (dir.isEmpty()) {
      stdout.println(
          "No peer results found (--peers DIR or $" + PEERS_ENV + "): the table has no ratios.");
      return PeerResults.empty();
    }
    try {
      return PeerResults.load(dir.get());
    } catch (java.io.IOException e) {
      stdout.println("Cannot read peer results in " + dir.get() + ": " + e.getMessage());
      return PeerResults.empty();
    }
  }

  /** --peers, else $COLONY_PEERS_RESULTS, else shared/peers/results in a parent folder. */
  Optional<Path> peersDirectory() {
    if (peers != null) {
      if (!Files.isDirectory(peers)) {
        throw new ParameterException(spec.commandLine(), "--peers: no folder " + peers);
      }
      return Optional.of(peers);
    }
    String env = System.getenv(PEERS_ENV);
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(Files::isDirectory);
    }
    return findUpwards(Path.of("shared", "peers", "results")).filter(Files::isDirectory);
  }

  /** {@code relative} under the working dir or this code's location, or under a parent of them. */
  private static Optional<Path> findUpwards(Path relative) {
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    codeLocation().ifPresent(starts::add);
    for (Path start : starts) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve(relative);
        if (Files.exists(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** Where this class was loaded from (the colony jar, or target/classes). */
  private static Optional<Path> codeLocation() {
    try {
      return Optional.of(
          Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void printSources(
      PrintWriter stdout, PeerResults peers, RatioTable table, boolean sameRun) {
    if (peers.directory() == null) {
      return;
    }
    stdout.println();
    if (sameRun) {
      stdout.println(
          "Peer figures: measured by the peers' harness in this run, side by side with Colony's,"
              + " in "
              + peers.directory().toAbsolutePath());
    } else {
      stdout.println(
          "Peer figures: from a STORED peers' run in "
              + peers.directory().toAbsolutePath()
              + ", not side by side with this one:");
    }
    table
        .sources()
        .forEach((file, started) -> stdout.println("  " + file + "  started_utc " + started));
    if (!sameRun) {
      stdout.println(
          "The ratios are against that stored run: rows move up to threefold between days here."
              + " --with-peers measures the peers in the same run.");
    }
  }

  private static Map<String, Object> peerSource(PeerResults peers, boolean sameRun) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("source", peers.directory() == null ? "none" : sameRun ? "same run" : "stored run");
    source.put(
        "directory",
        peers.directory() == null ? null : peers.directory().toAbsolutePath().toString());
    return source;
  }

  private PeerResults runHarness(Path harness, boolean quickRun, PrintWriter stdout)
      throws java.io.IOException, InterruptedException {
    Path work = out.toAbsolutePath().resolveSibling("peers-run");
    DataDir.delete(work);
    Path results = new PeersHarness(harness, work, quickRun, PeersHarness.TIME_CAP).run(stdout);
    PeerResults loaded = PeerResults.load(results);
    if (loaded.figures().isEmpty()) {
      stdout.println("peers: the harness wrote no figures (see " + results.resolve("logs") + ")");
    }
    return loaded;
  }

  /** --peers-harness, else shared/peers in a parent folder of the working dir or of this code. */
  private Path harnessDirectory() {
    if (peersHarness != null) {
      if (!Files.isRegularFile(peersHarness.resolve("run_all.sh"))) {
        throw new ParameterException(
            spec.commandLine(), "--peers-harness: no run_all.sh in " + peersHarness);
      }
      return peersHarness;
    }
    return findUpwards(Path.of("shared", "peers", "run_all.sh"))
        .map(Path::getParent)
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(),
                    "--with-peers: no shared/peers/run_all.sh beside the repository; give"
                        + " --peers-harness DIR"));
  }

  private Map<String, Object> meta(BenchParams params, List<BenchRun> done, double wallSeconds) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("peer", "Colony");
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("colony", Versions.colony());
    versions.put("java", System.getProperty("java.version"));
    versions.put("grpc", Versions.grpc());
    meta.put("versions", versions);
    meta.put("setup", done.get(0).setup());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("count", params.count());
    p.put("warmup", params.warmup());
    p.put("concurrent_count", params.concurrentCount());
    p.put("concurrent_warmup", params.concurrentWarmup());
    p.put("clients", params.clients());
    p.put("pool_items", params.poolItems());
    p.put("pool_warmup_items", params.poolWarmupItems());
    p.put("chunksize_default", params.defaultChunksize());
    p.put("latency_count", params.latencyCount());
    p.put("latency_warmup", params.latencyWarmup());
    p.put("max_seconds", params.maxSeconds());
    p.put("workers", params.workers());
    p.put("slots", params.slots());
    p.put("quick", params.quick());
    meta.put("params", p);
    meta.put("runs", done.size());
    meta.put("java", System.getProperty("java.version"));
    meta.put("machine", machine());
    meta.put("started_utc", done.get(0).startedUtc());
    meta.put("wall_seconds", Percentiles.round1(wallSeconds));
    List<Map<String, Object>> memory =
        done.stream().map(BenchRun::coordinatorMemory).filter(m -> m != null).toList();
    meta.put(
        "coordinator_memory",
        memory.isEmpty() ? null : memory.size() == 1 ? memory.get(0) : memory);
    return meta;
  }

  /** This machine in a few words, for the results' meta data. */
  private static String machine() {
    return System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cpus";
  }
}
