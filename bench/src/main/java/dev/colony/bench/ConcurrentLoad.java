package dev.colony.bench;

import dev.colony.client.ColonyClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Synchronous operations from several threads on several clients at once: {@code threadsPerClient}
 * threads share each client (the SDK multiplexes their calls on the client's one stream, so each
 * client has that many calls in flight), every thread runs its share of {@code total} operations
 * one after the other, timing each. All threads start together; throughput = operations / (last end
 * - first start).
 */
final class ConcurrentLoad {
  /** What one load did. {@code sortedNanos} holds one latency per completed operation. */
  record Result(long ops, double seconds, long[] sortedNanos, boolean truncated) {
    double opsPerSecond() {
      return ops / seconds;
    }

    double p50Micros() {
      return Percentiles.nearestRankMicros(sortedNanos, sortedNanos.length, 0.50);
    }

    double p99Micros() {
      return Percentiles.nearestRankMicros(sortedNanos, sortedNanos.length, 0.99);
    }
  }

  private final List<ColonyClient> clients;
  private final int threadsPerClient;
  private final LongAdder done = new LongAdder();

  ConcurrentLoad(List<ColonyClient> clients, int threadsPerClient) {
    this.clients = List.copyOf(clients);
    this.threadsPerClient = threadsPerClient;
  }

  /** Operations completed so far, over all runs of this load (for a sampler). */
  long done() {
    return done.sum();
  }

  /** Splits {@code total} into {@code parts} shares that differ by at most one. */
  static int[] shares(long total, int parts) {
    int[] shares = new int[parts];
    for (int i = 0; i < parts; i++) {
      shares[i] = (int) (total / parts + (i < total % parts ? 1 : 0));
    }
    return shares;
  }

  /**
   * Runs {@code total} operations; {@code bodies} gives each thread its operation, from the
   * thread's client. A thread stops once {@code maxSeconds} have passed (the result is then
   * truncated).
   *
   * @throws Exception the first operation failure, after every thread stopped
   */
  Result run(long total, double maxSeconds, Function<ColonyClient, Measurement.Body> bodies)
      throws Exception {
    int threads = clients.size() * threadsPerClient;
    int[] shares = shares(total, threads);
    long[][] latencies = new long[threads][];
    int[] completed = new int[threads];
    long[] starts = new long[threads];
    long[] ends = new long[threads];
    AtomicReference<Exception> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    long capNanos = (long) (maxSeconds * 1e9);
    for (int t = 0; t < threads; t++) {
      int index = t;
      Measurement.Body body = bodies.apply(clients.get(t / threadsPerClient));
      Thread thread =
          new Thread(
              () -> {
                long[] mine = new long[shares[index]];
                latencies[index] = mine;
                ready.countDown();
                try {
                  go.await();
                  long start = System.nanoTime();
                  starts[index] = start;
                  long deadline = start + capNanos;
                  int n = 0;
                  while (n < mine.length && failure.get() == null) {
                    long t0 = System.nanoTime();
                    body.run(n);
                    long t1 = System.nanoTime();
                    mine[n++] = t1 - t0;
                    done.increment();
                    if (t1 > deadline) {
                      break;
                    }
                  }
                  completed[index] = n;
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                } finally {
                  ends[index] = System.nanoTime();
                }
              },
              "colony-bench-load-" + t);
      thread.setDaemon(true);
      running.add(thread);
      thread.start();
    }
    ready.await();
    go.countDown();
    for (Thread thread : running) {
      thread.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    long firstStart = Arrays.stream(starts).min().orElse(0);
    long lastEnd = Arrays.stream(ends).max().orElse(0);
    int ops = Arrays.stream(completed).sum();
    long[] merged = new long[ops];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies[t], 0, merged, at, completed[t]);
      at += completed[t];
    }
    Arrays.sort(merged);
    return new Result(ops, (lastEnd - firstStart) / 1e9, merged, ops < total);
  }
}
