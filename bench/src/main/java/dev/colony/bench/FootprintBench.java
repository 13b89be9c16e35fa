package dev.colony.bench;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyQueue;
import dev.colony.client.Pool;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * {@code colony bench --footprint}: what Colony costs in memory and how tasks scale with workers,
 * in one run: (1) the coordinator's heap per blocked take, with many takes parked on one queue; (2)
 * its heap with a million 100-byte items queued; (3) an idle worker daemon's heap; (4) tasks one
 * per message with 1, 2 and 4 worker JVMs. Heaps are read after a full GC (see {@link
 * CoordinatorMemory}), against the same coordinator's heap before the load.
 */
final class FootprintBench {
  /** Coordinator heap for 1,000,000 queued 100-byte items, target: at most this. */
  static final double ITEMS_HEAP_TARGET_MIB = 250;

  /** An idle worker daemon's heap, target: under this. */
  static final double IDLE_WORKER_TARGET_MIB = 64;

  /** A session may have 10,000 calls blocked at once: the takes spread over sessions of this. */
  private static final int TAKES_PER_SESSION = 1_000;

  private static final int BATCH = 4_096;
  private static final int BATCHES_IN_FLIGHT = 8;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** What to measure. */
  record Params(
      int waiters, int items, int itemBytes, List<Integer> workerCounts, int taskItems, int slots) {
    static Params full() {
      return new Params(10_000, 1_000_000, 100, List.of(1, 2, 4), 20_000, 4);
    }

    static Params quick() {
      return new Params(500, 20_000, 100, List.of(1, 2), 200, 4);
    }
  }

  private final Params params;
  private final String mainClass;
  private final Path logs;
  private final PrintWriter out;
  private final List<String> errors = new ArrayList<>();

  FootprintBench(Params params, String mainClass, Path logs, PrintWriter out) {
    this.params = params;
    this.mainClass = mainClass;
    this.logs = logs;
    this.out = out;
  }

  List<String> errors() {
    return errors;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    ProcessCluster.Coordinator coordinator =
        ProcessCluster.startCoordinator(
            mainClass,
            logs,
            "footprint-coordinator",
            // Room for the million items: by default one queue may store 15% of the heap.
            List.of("--max-stored-bytes", "700MiB", "--max-container-bytes", "700MiB"));
    try (ChildJvm jvm = coordinator.jvm()) {
      long pid = jvm.pid();
      double baseline = liveHeap(pid, "baseline");
      report.put("coordinator_baseline_mib", baseline);
      step(report, "waiters", () -> waiters(coordinator.target(), pid, baseline));
      step(report, "queued_items", () -> queuedItems(coordinator.target(), pid, baseline));
      step(report, "idle_worker", () -> idleWorker(coordinator.target()));
    }
    step(report, "tasks_by_workers", this::tasksByWorkers);
    return report;
  }

  @FunctionalInterface
  private interface Step {
    Map<String, Object> run() throws Exception;
  }

  private void step(Map<String, Object> report, String name, Step step) {
    try {
      report.put(name, step.run());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add(name + ": interrupted");
    } catch (Exception | AssertionError e) {
      errors.add(name + ": " + e);
      out.println("  " + name + " FAILED: " + e);
    }
    out.flush();
  }

  /** Takes parked on one empty queue, {@value #TAKES_PER_SESSION} per session. */
  private Map<String, Object> waiters(String target, long pid, double baseline) throws Exception {
    List<ColonyClient> clients = new ArrayList<>();
    List<CompletableFuture<byte[]>> takes = new ArrayList<>();
    try {
      for (int parked = 0; parked < params.waiters(); ) {
        ColonyClient client = connect(target, "footprint-waiters-" + clients.size());
        clients.add(client);
        ColonyQueue<byte[]> queue = client.queue("footprint.waiters", byte[].class);
        int here = Math.min(TAKES_PER_SESSION, params.waiters() - parked);
        for (int i = 0; i < here; i++) {
          takes.add(queue.async().take());
        }
        // A read on the same session is answered after every call sent before it is applied: the
        // takes are parked once it returns.
        queue.size();
        parked += here;
      }
      double heap = liveHeap(pid, params.waiters() + " blocked takes");
      double perWaiter = (heap - baseline) * 1024 * 1024 / params.waiters();
      out.printf(
          Locale.ROOT,
          "  %,d takes blocked on one queue (%d sessions): coordinator heap %.1f MiB, %.0f bytes"
              + " per waiter over the %.1f MiB baseline%n",
          params.waiters(),
          clients.size(),
          heap,
          perWaiter,
          baseline);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("waiters", params.waiters());
      result.put("sessions", clients.size());
      result.put("heap_mib", heap);
      result.put("bytes_per_waiter", Math.round(perWaiter));
      return result;
    } finally {
      takes.forEach(t -> t.cancel(true));
      clients.forEach(ColonyClient::close);
    }
  }

  /** Items of {@code itemBytes} put in batches, several batches in flight. */
  private Map<String, Object> queuedItems(String target, long pid, double baseline)
      throws Exception {
    try (ColonyClient client = connect(target, "footprint-items")) {
      ColonyQueue<byte[]> queue = client.queue("footprint.items", byte[].class);
      List<byte[]> batch = new ArrayList<>(BATCH);
      List<CompletableFuture<Integer>> inFlight = new ArrayList<>();
      try (Progress.Bar bar = Progress.forConsole().start("queued items", params.items())) {
        for (int put = 0; put < params.items(); ) {
          batch.clear();
          int size = Math.min(BATCH, params.items() - put);
          for (int i = 0; i < size; i++) {
            byte[] item = new byte[params.itemBytes()];
            item[0] = (byte) (put + i);
            batch.add(item);
          }
          inFlight.add(queue.async().addAll(List.copyOf(batch)));
          put += size;
          if (inFlight.size() == BATCHES_IN_FLIGHT) {
            inFlight.remove(0).get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          }
          bar.stepTo(put);
        }
        for (CompletableFuture<Integer> f : inFlight) {
          f.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      int size = queue.size();
      if (size != params.items()) {
        throw new IllegalStateException(size + " items queued, not " + params.items());
      }
      double heap = liveHeap(pid, params.items() + " queued items");
      double over = heap - baseline;
      double scaled = over * 1_000_000.0 / params.items();
      out.printf(
          Locale.ROOT,
          "  %,d queued items of %d bytes: coordinator heap %.1f MiB (%.1f MiB over the"
              + " baseline, %.0f bytes per item); per million: %.1f MiB (target: at most %.0f"
              + " MiB)%n",
          params.items(),
          params.itemBytes(),
          heap,
          over,
          over * 1024 * 1024 / params.items(),
          scaled,
          ITEMS_HEAP_TARGET_MIB);
      queue.clear();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("items", params.items());
      result.put("item_bytes", params.itemBytes());
      result.put("heap_mib", heap);
      result.put("bytes_per_item", Math.round(over * 1024 * 1024 / params.items()));
      result.put("mib_per_million", Percentiles.round1(scaled));
      result.put("target_mib_per_million", ITEMS_HEAP_TARGET_MIB);
      return result;
    }
  }

  /** A worker daemon connected with nothing to do. */
  private Map<String, Object> idleWorker(String target) throws Exception {
    try (ChildJvm worker =
        ChildJvm.start(
            "footprint-worker",
            ProcessCluster.WORKER_JVM_OPTIONS,
            mainClass,
            List.of(
                "worker",
                "--coordinator",
                target,
                "--slots",
                Integer.toString(params.slots()),
                "--name",
                "footprint-idle",
                "--allow-tasks",
                "dev.colony.bench.*"),
            logs)) {
      worker.awaitLine(
          l -> l.startsWith("Colony worker ") && l.contains(" connected to "), START_TIMEOUT);
      double heap = liveHeap(worker.pid(), "idle worker");
      out.printf(
          Locale.ROOT,
          "  an idle worker daemon (%s): heap %.1f MiB after GC (target: under %.0f MiB)%n",
          String.join(" ", ProcessCluster.WORKER_JVM_OPTIONS),
          heap,
          IDLE_WORKER_TARGET_MIB);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("heap_mib", heap);
      result.put("target_mib", IDLE_WORKER_TARGET_MIB);
      return result;
    }
  }

  /** The same pool.map, one task per message, on clusters of 1, 2 and 4 worker JVMs. */
  private Map<String, Object> tasksByWorkers() throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    List<Long> items = LongStream.range(0, params.taskItems()).boxed().toList();
    for (int workers : params.workerCounts()) {
      try (ProcessCluster cluster = ProcessCluster.start(mainClass, logs, workers, params.slots());
          ColonyClient client = connect(cluster.target(), "footprint-tasks");
          Pool pool = client.pool()) {
        pool.map(IdentityTask.class, items.subList(0, Math.max(1, items.size() / 10)), 1);
        long start = System.nanoTime();
        List<Long> results = pool.map(IdentityTask.class, items, 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!results.equals(items)) {
          throw new IllegalStateException("wrong pool.map result with " + workers + " workers");
        }
        double rate = items.size() / seconds;
        out.printf(
            Locale.ROOT,
            "  tasks one per message, %d worker JVM(s) x %d slots: %,.0f tasks/s%n",
            workers,
            params.slots(),
            rate);
        out.flush();
        result.put(workers + (workers == 1 ? "_worker" : "_workers"), Percentiles.round1(rate));
      }
    }
    return result;
  }

  private static ColonyClient connect(String target, String name) {
    return Colony.connect(ColonyOptions.newBuilder().setTarget(target).setClientName(name).build());
  }

  private static double liveHeap(long pid, String after) {
    Map<String, Object> sample = CoordinatorMemory.sample(pid, after);
    Object live = sample.get("heap_used_after_gc_mib");
    if (!(live instanceof Double mib)) {
      throw new IllegalStateException("no heap reading: " + sample.get("unavailable"));
    }
    return mib;
  }
}
