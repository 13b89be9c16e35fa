package dev.colony.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * {@code queue_pair} from several client processes at once (shared/peers/README.md): each a child
 * JVM ({@link BenchClientMain}) with its own session and TCP connection on the same queue, started
 * together by a Colony barrier; throughput = all pairs / (last end − first start), latency over all
 * clients' pairs.
 */
final class MultiClientQueueRow {
  static final List<String> CLIENT_JVM_OPTIONS = List.of("-Xmx256m");

  private MultiClientQueueRow() {}

  static ResultRow run(String target, BenchParams params, Path logs) throws Exception {
    int clients = params.clients();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String queue = "bench.queue_pair." + clients + "clients." + run;
    String barrier = "bench.start." + run;
    List<ChildJvm> processes = new ArrayList<>();
    List<Path> resultFiles = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        Path resultFile = logs.resolve("client-" + (c + 1) + "-" + run + ".txt");
        resultFiles.add(resultFile);
        processes.add(
            ChildJvm.start(
                "client-" + (c + 1),
                CLIENT_JVM_OPTIONS,
                BenchClientMain.class.getName(),
                List.of(
                    target,
                    queue,
                    barrier,
                    Integer.toString(clients),
                    Integer.toString(params.concurrentWarmup()),
                    Integer.toString(params.concurrentCount()),
                    Double.toString(params.maxSeconds()),
                    resultFile.toString()),
                logs));
      }
      // Start-up, warm-up and the capped timed loop, with room to spare on a busy machine.
      Duration limit = Duration.ofSeconds((long) (2 * params.maxSeconds()) + 120);
      for (ChildJvm process : processes) {
        String last = process.awaitLine(l -> l.equals("DONE") || l.startsWith("FAILED"), limit);
        if (!last.equals("DONE")) {
          throw new IllegalStateException(process.name() + ": " + last);
        }
        process.waitFor(Duration.ofSeconds(30));
      }
    } finally {
      processes.forEach(ChildJvm::close);
    }
    return aggregate(resultFiles, clients, params.concurrentCount());
  }

  /** Reads the clients' files: first line {@code start end}, then one latency (ns) per line. */
  static ResultRow aggregate(List<Path> resultFiles, int clients, int perClient)
      throws IOException {
    long firstStart = Long.MAX_VALUE;
    long lastEnd = Long.MIN_VALUE;
    List<long[]> all = new ArrayList<>();
    int total = 0;
    for (Path file : resultFiles) {
      List<String> lines = Files.readAllLines(file);
      String[] span = lines.get(0).split(" ");
      firstStart = Math.min(firstStart, Long.parseLong(span[0]));
      lastEnd = Math.max(lastEnd, Long.parseLong(span[1]));
      long[] latencies = lines.stream().skip(1).mapToLong(Long::parseLong).toArray();
      all.add(latencies);
      total += latencies.length;
      Files.deleteIfExists(file);
    }
    long[] merged = new long[total];
    int at = 0;
    for (long[] latencies : all) {
      System.arraycopy(latencies, 0, merged, at, latencies.length);
      at += latencies.length;
    }
    Arrays.sort(merged);
    return ResultRow.timed(
        "queue_pair",
        "pairs/s",
        clients,
        merged,
        total,
        (lastEnd - firstStart) / 1e9,
        total < clients * perClient,
        clients
            + " client processes (JVMs), each its own session and TCP connection, each put(x) then"
            + " poll(10 s) on the same queue after a Colony barrier; aggregate pairs/s over first"
            + " start..last end; latency = per pair across all clients");
  }
}
