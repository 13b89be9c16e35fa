package dev.colony.cli;

import dev.colony.cli.demo.CountPrimes;
import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Python's {@code Pool.map}: counts primes below many limits on the workers, and the same in a
 * plain loop in this JVM, and prints the speed-up as measured.
 */
final class ParallelMapExample implements DemoExample {
  /** Limits from this size up: a few milliseconds of work each. */
  private static final int BASE_LIMIT = 120_000;

  private final int items;
  private final int workers;

  ParallelMapExample(int items, int workers) {
    this.items = items;
    this.workers = workers;
  }

  @Override
  public String title() {
    return "Parallel map: count the primes below " + items + " limits (Pool.imap)";
  }

  @Override
  public Result run(ColonyClient colony, PrintWriter out) throws InterruptedException {
    List<Integer> limits = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      limits.add(BASE_LIMIT + (i % 40) * 2_000);
    }
    // The workers run in this JVM, so warming up the code here warms it for both runs.
    for (int i = 0; i < Math.min(items, 10); i++) {
      CountPrimes.below(limits.get(i));
    }

    long start = System.nanoTime();
    List<Integer> expected = new ArrayList<>(items);
    try (Progress progress = Progress.open("one process", items)) {
      for (int limit : limits) {
        expected.add(CountPrimes.below(limit));
        progress.step();
      }
    }
    long loopNanos = System.nanoTime() - start;

    // A few chunks per worker: fewer round trips, and still work for every worker to share.
    int chunksize = Math.max(1, items / (workers * 8));
    List<Integer> results = new ArrayList<>(items);
    start = System.nanoTime();
    try (Pool pool = colony.pool();
        Progress progress =
            Progress.open("on " + workers + (workers == 1 ? " worker" : " workers"), items)) {
      Iterator<Integer> it = pool.imap(CountPrimes.class, limits, chunksize);
      while (it.hasNext()) {
        results.add(it.next());
        progress.step();
      }
    }
    long poolNanos = System.nanoTime() - start;

    double speedUp = (double) loopNanos / poolNanos;
    out.printf(
        Locale.ROOT,
        "  one process: %.2f s; %d worker%s: %.2f s; speed-up %.2fx%n",
        loopNanos / 1e9,
        workers,
        workers == 1 ? "" : "s",
        poolNanos / 1e9,
        speedUp);
    out.println("  " + explain(speedUp));
    busyNote().ifPresent(note -> out.println("  " + note));
    boolean same = results.equals(expected);
    return new Result(
        same,
        same
            ? "the workers' " + items + " results equal the loop's"
            : "the workers' results differ from the loop's");
  }

  /** Timings on a machine busy with other work say little; say so when it is. */
  private static Optional<String> busyNote() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    int cores = Runtime.getRuntime().availableProcessors();
    return load > cores
        ? Optional.of(
            String.format(
                Locale.ROOT,
                "(this machine is busy, load average %.1f on %d cores: the timings are noisy.)",
                load,
                cores))
        : Optional.empty();
  }

  /** An honest reading of the speed-up on this machine. */
  private String explain(double speedUp) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (workers == 1) {
      return "(one worker does the work of one process, plus the trips to the coordinator: ~1x"
          + " is expected. More cores, or --workers, make it scale.)";
    }
    if (cores <= workers) {
      return String.format(
          Locale.ROOT,
          "(%d workers share %d cores with this demo and the coordinator, so at most ~%dx;"
              + " workers on more machines scale further.)",
          workers,
          cores,
          Math.max(1, cores - 1));
    }
    return speedUp >= workers * 0.6
        ? "(the work spread over the workers as it should.)"
        : "(less than the worker count: other programs on this machine take cores too.)";
  }
}
