package dev.colony.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * How long one small write plus fsync takes in a directory: the floor under a {@code --sync always}
 * call, which is acknowledged only after the log entry holding it is on the disk. A synchronous
 * caller cannot make more calls per second than one over this, whatever the coordinator does, so
 * with N such callers the durable rate is at most N over it (when every batch carries one call of
 * each).
 */
final class FsyncProbe {
  /** One log entry's worth of bytes. */
  static final int WRITE_BYTES = 512;

  record Result(int samples, double p50Micros, double p99Micros) {
    /** Calls per second N synchronous callers can reach at most, one fsync per round. */
    double ceiling(int callers) {
      return callers * 1e6 / p50Micros;
    }
  }

  private FsyncProbe() {}

  static Result measure(Path dir, int samples) throws IOException {
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "fsync-probe", ".bin");
    long[] nanos = new long[samples];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.allocate(WRITE_BYTES);
      for (int i = 0; i < samples; i++) {
        bytes.clear();
        long t0 = System.nanoTime();
        channel.write(bytes);
        channel.force(false);
        nanos[i] = System.nanoTime() - t0;
      }
    } finally {
      Files.deleteIfExists(file);
    }
    Arrays.sort(nanos);
    return new Result(
        samples,
        Percentiles.nearestRankMicros(nanos, samples, 0.50),
        Percentiles.nearestRankMicros(nanos, samples, 0.99));
  }
}
