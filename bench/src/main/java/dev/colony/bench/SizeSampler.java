package dev.colony.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Looks at a data directory's size every {@code every} on a thread of its own while a load runs,
 * from the moment it is created until {@link #close()} (which takes one last sample).
 */
final class SizeSampler implements AutoCloseable {
  /** One look: when (seconds since the sampler started), operations done by then, the usage. */
  record Sample(double seconds, long ops, DataDir.Usage usage) {
    long bytes() {
      return usage.bytes();
    }
  }

  private final Path dir;
  private final LongSupplier ops;
  private final long t0 = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer;

  SizeSampler(Path dir, Duration every, LongSupplier ops) {
    this.dir = dir;
    this.ops = ops;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "colony-bench-size-sampler");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::sample, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sample() {
    long done = ops.getAsLong();
    DataDir.Usage usage = DataDir.usage(dir);
    double seconds = (System.nanoTime() - t0) / 1e9;
    synchronized (samples) {
      samples.add(new Sample(seconds, done, usage));
    }
  }

  /** Stops sampling, takes one last sample, and returns them all in order. */
  List<Sample> stop() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(30, TimeUnit.SECONDS);
    sample();
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** The largest sample's bytes (0 when there is none). */
  static long maxBytes(List<Sample> samples) {
    return samples.stream().mapToLong(Sample::bytes).max().orElse(0);
  }

  /** The largest size in the second half of the load (by operations) over that of the first. */
  static double growth(List<Sample> samples) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    long lastOps = samples.get(samples.size() - 1).ops();
    long firstHalf =
        samples.stream()
            .filter(s -> s.ops() <= lastOps / 2)
            .mapToLong(Sample::bytes)
            .max()
            .orElse(0);
    long secondHalf =
        samples.stream()
            .filter(s -> s.ops() > lastOps / 2)
            .mapToLong(Sample::bytes)
            .max()
            .orElse(0);
    return firstHalf == 0 ? Double.NaN : (double) secondHalf / firstHalf;
  }

  /** The newest snapshot's log index over the samples, if any snapshot was seen. */
  static OptionalLong lastSnapshotIndex(List<Sample> samples) {
    long max = -1;
    for (Sample s : samples) {
      max = Math.max(max, s.usage().snapshotIndex().orElse(-1));
    }
    return max < 0 ? OptionalLong.empty() : OptionalLong.of(max);
  }

  /**
   * The samples as text, {@code perLine} to a line, each {@code t=<s>s <size> @<ops>}, e.g. {@code
   * t=3s 4.1 MiB @120,400}; every line indented by {@code indent}.
   */
  static String format(List<Sample> samples, int perLine, String indent) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      text.append(i % perLine == 0 ? indent : "  ")
          .append(
              String.format(
                  Locale.ROOT, "t=%.1fs %s @%,d", s.seconds(), DataDir.format(s.bytes()), s.ops()));
      if (i % perLine == perLine - 1 || i == samples.size() - 1) {
        text.append('\n');
      }
    }
    return text.toString();
  }
}
