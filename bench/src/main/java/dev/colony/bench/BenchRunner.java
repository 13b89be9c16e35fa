package dev.colony.bench;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyMap;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyQueue;
import dev.colony.client.ColonyValue;
import dev.colony.client.Pool;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

/**
 * One bench run: starts a cluster, measures the selected rows through the SDK from this JVM (one
 * client, one thread, synchronous calls; the multi-client row from child JVMs), stops the cluster.
 * A row that fails is listed in the run's errors and the others still run, as in the peers'
 * harness.
 */
final class BenchRunner {
  /** Calls in flight in the queue_async row. */
  static final int ASYNC_IN_FLIGHT = 64;

  private final BenchParams params;
  private final Set<BenchRow> rows;
  private final BenchCluster.Factory clusters;
  private final Path logs;
  private final Progress progress;
  private final PrintWriter out;

  BenchRunner(
      BenchParams params,
      Set<BenchRow> rows,
      BenchCluster.Factory clusters,
      Path logs,
      Progress progress,
      PrintWriter out) {
    this.params = params;
    this.rows = Set.copyOf(rows);
    this.clusters = clusters;
    this.logs = logs;
    this.progress = progress;
    this.out = out;
  }

  BenchRun run() throws Exception {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    List<ResultRow> results = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Map<String, Object> memory = null;
    int workers = rows.stream().anyMatch(BenchRow::needsWorkers) ? params.workers() : 0;
    String setup;
    try (BenchCluster cluster = clusters.start(workers, params.slots());
        ColonyClient client =
            Colony.connect(
                ColonyOptions.newBuilder()
                    .setTarget(cluster.target())
                    .setClientName("colony-bench")
                    .build())) {
      setup = cluster.describe();
      String prefix = "bench." + Long.toString(System.nanoTime(), 36) + ".";
      Rows body = new Rows(client, prefix);
      measure(BenchRow.QUEUE_PAIR, results, errors, body::queuePair);
      measure(
          BenchRow.QUEUE_PAIR_CLIENTS,
          results,
          errors,
          () -> MultiClientQueueRow.run(cluster.target(), params, logs));
      measure(BenchRow.QUEUE_ASYNC, results, errors, body::queueAsync);
      if (rows.contains(BenchRow.QUEUE_PAIR) || rows.contains(BenchRow.QUEUE_PAIR_CLIENTS)) {
        long pid = cluster.coordinatorPid().orElse(-1);
        memory =
            pid > 0 ? CoordinatorMemory.sample(pid, "queue rows") : null; // in-JVM: not its own
      }
      measure(BenchRow.LOCK_PAIR, results, errors, body::lockPair);
      measure(BenchRow.COUNTER_INCR, results, errors, body::counterIncr);
      measure(BenchRow.VALUE_SET_GET, results, errors, body::valueSetGet);
      measure(BenchRow.DICT_PUT_GET, results, errors, body::dictPutGet);
      if (workers > 0) {
        try (Pool pool = client.pool()) {
          TaskRows tasks = new TaskRows(pool);
          measure(BenchRow.TASK_BATCH_1PER_MSG, results, errors, tasks::onePerMessage);
          measure(BenchRow.TASK_BATCH_CHUNKED, results, errors, tasks::chunked);
          measure(BenchRow.TASK_ROUNDTRIP, results, errors, tasks::roundTrip);
        }
      }
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return new BenchRun(
        results,
        errors,
        memory,
        started.truncatedTo(ChronoUnit.SECONDS).toString(),
        Percentiles.round1(wall),
        setup);
  }

  @FunctionalInterface
  private interface RowBody {
    ResultRow measure() throws Exception;
  }

  private void measure(BenchRow row, List<ResultRow> results, List<String> errors, RowBody body) {
    if (!rows.contains(row)) {
      return;
    }
    try {
      ResultRow result = body.measure();
      results.add(result);
      out.println("  " + RatioTable.describe(result));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add(row.selector() + ": interrupted");
    } catch (Exception | AssertionError e) {
      errors.add(row.selector() + ": " + e);
      out.println("  " + row.selector() + " FAILED: " + e);
    }
    out.flush();
  }

  /** The single-client object rows, on objects of this run only. */
  private final class Rows {
    private final ColonyClient client;
    private final String prefix;

    Rows(ColonyClient client, String prefix) {
      this.client = client;
      this.prefix = prefix;
    }

    ResultRow queuePair() throws Exception {
      ColonyQueue<Long> queue = client.queue(prefix + "queue", Long.class);
      return timed(
          "queue_pair",
          "pairs/s",
          "ColonyQueue<Long>: put(x) then poll(10 s), one client, sequential",
          i -> BenchClientMain.queuePair(queue, i));
    }

    /**
     * Async queue operations from one client: put(i) and take() alternate, {@link #ASYNC_IN_FLIGHT}
     * calls in flight on the client's one session stream; a take is issued after its put, and the
     * coordinator applies one stream's calls in order, so no take waits. Ten times the object rows'
     * count (and warm-up), as each operation is far cheaper.
     */
    ResultRow queueAsync() throws Exception {
      ColonyQueue<Long> queue = client.queue(prefix + "queue_async", Long.class);
      asyncOps(queue, params.warmup() * 10L);
      long ops = params.count() * 10L;
      try (Progress.Bar bar = progress.start("queue_async", 1)) {
        long start = System.nanoTime();
        asyncOps(queue, ops);
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.stepTo(1);
        return ResultRow.batch(
            "queue_async",
            "ops/s",
            (int) ops,
            seconds,
            "ColonyQueue<Long>.async(): put(i) and take() alternating, "
                + ASYNC_IN_FLIGHT
                + " in flight, one client, one session stream");
      }
    }

    private void asyncOps(ColonyQueue<Long> queue, long ops) throws Exception {
      Semaphore inFlight = new Semaphore(ASYNC_IN_FLIGHT);
      AtomicReference<Throwable> failed = new AtomicReference<>();
      long deadline = System.nanoTime() + (long) (params.maxSeconds() * 1e9);
      long expected = 0;
      for (long i = 0; i < ops && failed.get() == null; i++) {
        if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          throw new IllegalStateException("async queue operations passed the time cap");
        }
        CompletableFuture<?> op;
        if ((i & 1) == 0) {
          op = queue.async().put(i >> 1);
        } else {
          long want = expected++;
          op =
              queue
                  .async()
                  .take()
                  .thenAccept(
                      got -> {
                        if (got == null || got != want) {
                          throw new IllegalStateException("took " + got + ", expected " + want);
                        }
                      });
        }
        op.whenComplete(
            (r, e) -> {
              if (e != null) {
                failed.compareAndSet(null, e);
              }
              inFlight.release();
            });
      }
      if (!inFlight.tryAcquire(
          ASYNC_IN_FLIGHT, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("async queue operations passed the time cap");
      }
      if (failed.get() != null) {
        throw new IllegalStateException("an async queue operation failed", failed.get());
      }
    }

    ResultRow lockPair() throws Exception {
      ColonyLock lock = client.lock(prefix + "lock");
      return timed(
          "lock_pair",
          "pairs/s",
          "ColonyLock (non-reentrant): lock() then unlock(), uncontended",
          i -> {
            lock.lock();
            lock.unlock();
          });
    }

    ResultRow counterIncr() throws Exception {
      var counter = client.atomicLong(prefix + "counter");
      return timed(
          "counter_incr",
          "ops/s",
          "ColonyAtomicLong.incrementAndGet() (one remote call)",
          i -> counter.incrementAndGet());
    }

    ResultRow valueSetGet() throws Exception {
      ColonyValue<Long> value = client.value(prefix + "value", Long.class);
      return timed(
          "value_set_get",
          "pairs/s",
          "ColonyValue<Long>: set(x) then get()",
          i -> {
            value.set(i);
            value.get();
          });
    }

    ResultRow dictPutGet() throws Exception {
      ColonyMap<Long, Long> map = client.map(prefix + "dict", Long.class, Long.class);
      return timed(
          "dict_put_get",
          "pairs/s",
          "ColonyMap<Long,Long>: put(k, v) then get(k), 1024 distinct keys (put also returns the"
              + " previous value: one call either way)",
          i -> {
            long key = i & 1023;
            map.put(key, i);
            map.get(key);
          });
    }

    private ResultRow timed(String op, String unit, String what, Measurement.Body body)
        throws Exception {
      return Measurement.measure(
          op, unit, params.warmup(), params.count(), params.maxSeconds(), what, progress, body);
    }
  }

  /** The task rows, on one pool of the bench's client (workers: the cluster's). */
  private final class TaskRows {
    private final Pool pool;
    private final AtomicBoolean warmedUp = new AtomicBoolean();

    TaskRows(Pool pool) {
      this.pool = pool;
    }

    /** As the peers: one untimed map first, so that both workers have run tasks. */
    private void warmUp() throws InterruptedException {
      if (warmedUp.compareAndSet(false, true) && params.poolWarmupItems() > 0) {
        mapChecked(params.poolWarmupItems(), 1);
      }
    }

    ResultRow onePerMessage() throws Exception {
      warmUp();
      return batch("task_batch_1per_msg", 1);
    }

    ResultRow chunked() throws Exception {
      warmUp();
      return batch("task_batch_chunked", params.defaultChunksize());
    }

    ResultRow roundTrip() throws Exception {
      warmUp();
      return Measurement.measure(
          "task_roundtrip",
          "tasks/s",
          params.latencyWarmup(),
          params.latencyCount(),
          params.maxSeconds(),
          "pool.apply(IdentityTask, i), sequential; "
              + params.workers()
              + " worker JVMs x "
              + params.slots()
              + " slots (prefetch "
              + params.slots()
              + ")",
          progress,
          i -> {
            Long result = pool.apply(IdentityTask.class, i);
            if (result == null || result != i) {
              throw new IllegalStateException("identity task returned " + result + " for " + i);
            }
          });
    }

    private ResultRow batch(String op, int chunksize) throws Exception {
      int items = params.poolItems();
      try (Progress.Bar bar = progress.start(op, 1)) {
        long start = System.nanoTime();
        mapChecked(items, chunksize);
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.stepTo(1);
        return ResultRow.batch(
            op,
            "tasks/s",
            items,
            seconds,
            "pool.map(IdentityTask, 0.."
                + (items - 1)
                + ", chunksize "
                + chunksize
                + "), "
                + params.workers()
                + " worker JVMs x "
                + params.slots()
                + " slots (prefetch "
                + params.slots()
                + "), over TCP");
      }
    }

    /**
     * Runs a map and checks its results; past a cap of 6 × max-seconds (the peers' map timeout) it
     * terminates the pool, which ends the map with a CancellationException.
     */
    private void mapChecked(int items, int chunksize) throws InterruptedException {
      List<Long> arguments = LongStream.range(0, items).boxed().toList();
      ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
      ScheduledFuture<?> cap =
          watchdog.schedule(
              pool::terminate, (long) (params.maxSeconds() * 6_000), TimeUnit.MILLISECONDS);
      try {
        List<Long> results = pool.map(IdentityTask.class, arguments, chunksize);
        if (results.size() != items || !Objects.equals(results.get(items - 1), items - 1L)) {
          throw new IllegalStateException("wrong pool.map result");
        }
      } catch (CancellationException e) {
        throw new IllegalStateException(
            "pool.map of " + items + " items passed " + params.maxSeconds() * 6 + " s", e);
      } finally {
        cap.cancel(false);
        watchdog.shutdownNow();
      }
    }
  }
}
