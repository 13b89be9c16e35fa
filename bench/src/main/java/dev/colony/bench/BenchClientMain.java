package dev.colony.bench;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyQueue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One client process of the multi-client {@code queue_pair} row: connects (its own session and TCP
 * connection), warms up, waits at the shared start barrier, then runs its timed queue pairs and
 * writes {@code start end} (System.nanoTime, CLOCK_MONOTONIC on Linux and so comparable between
 * processes of one machine) and one latency in ns per line to its result file. Prints {@code DONE}
 * or {@code FAILED <reason>}.
 *
 * <p>Arguments: target queue barrier parties warmup count maxSeconds resultFile.
 */
public final class BenchClientMain {
  private BenchClientMain() {}

  public static void main(String[] args) {
    try {
      run(args);
      System.out.println("DONE");
      System.exit(0);
    } catch (Exception e) {
      System.out.println("FAILED " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    if (args.length != 8) {
      throw new IllegalArgumentException(
          "usage: BenchClientMain target queue barrier parties warmup count maxSeconds resultFile");
    }
    String target = args[0];
    String queueName = args[1];
    String barrierName = args[2];
    int parties = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    int count = Integer.parseInt(args[5]);
    double maxSeconds = Double.parseDouble(args[6]);
    Path resultFile = Path.of(args[7]);
    try (ColonyClient client =
        Colony.connect(
            ColonyOptions.newBuilder().setTarget(target).setClientName("colony-bench").build())) {
      ColonyQueue<Long> queue = client.queue(queueName, Long.class);
      for (int i = 0; i < warmup; i++) {
        queuePair(queue, i);
      }
      client.barrier(barrierName, parties).await(60, TimeUnit.SECONDS);
      long[] latencies = new long[count];
      int n = 0;
      long start = System.nanoTime();
      long deadline = start + (long) (maxSeconds * 1e9);
      while (n < count) {
        long t0 = System.nanoTime();
        queuePair(queue, n);
        long t1 = System.nanoTime();
        latencies[n++] = t1 - t0;
        if (t1 > deadline) {
          break;
        }
      }
      long end = System.nanoTime();
      write(resultFile, start, end, latencies, n);
    }
  }

  /** put(x) then a get with the peers' 10 s timeout. */
  static void queuePair(ColonyQueue<Long> queue, long i) throws InterruptedException {
    queue.put(i);
    if (queue.poll(10, TimeUnit.SECONDS) == null) {
      throw new IllegalStateException("queue " + queue.name() + " gave nothing within 10 s");
    }
  }

  private static void write(Path file, long start, long end, long[] latencies, int n)
      throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(partial))) {
      out.println(start + " " + end);
      for (int i = 0; i < n; i++) {
        out.println(latencies[i]);
      }
    }
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
