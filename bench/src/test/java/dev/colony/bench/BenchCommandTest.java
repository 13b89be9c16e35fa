package dev.colony.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole bench with tiny counts: a coordinator and a worker as child JVMs (through {@link
 * TestLauncher}, standing in for the colony launcher), the bench's own client, and two client JVMs
 * for the multi-client row.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BenchCommandTest {
  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new BenchCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void quickRun_writesEveryRowInThePeersFormat_andPrintsRatios() throws Exception {
    Path peers = Files.createDirectories(dir.resolve("peers"));
    Files.writeString(
        peers.resolve("mp.json"),
        """
        {"meta": {"started_utc": "2026-11-24T19:39:09Z"},
         "results": [{"op": "lock_pair", "unit": "pairs/s", "clients": 1, "ops_per_s": 5414.6,
                      "p50_us": 178.9, "p99_us": 282.1, "column": "mp.managers"}],
         "errors": []}
        """);
    Path out = dir.resolve("bench").resolve("colony.json");

    Run run =
        execute(
            "--quick",
            "--count=10",
            "--warmup=2",
            "--concurrent-count=10",
            "--concurrent-warmup=1",
            "--clients=2",
            "--pool-items=8",
            "--pool-warmup-items=2",
            "--latency-count=5",
            "--latency-warmup=1",
            "--workers=1",
            "--slots=2",
            "--launcher-main=" + TestLauncher.class.getName(),
            "--peers=" + peers,
            "--out=" + out);

    assertEquals(0, run.exitCode(), run.out() + run.err());
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    Set<String> keys = new HashSet<>();
    for (JsonNode row : report.path("results")) {
      keys.add(row.path("op").asText() + "/" + row.path("clients").asInt());
      assertEquals("colony", row.path("column").asText(), row.toString());
      assertTrue(row.path("ops_per_s").asDouble() > 0, row.toString());
      if (row.path("p50_us").isNumber()) {
        assertTrue(row.path("p50_us").asDouble() > 0, row.toString());
        assertTrue(row.path("p50_us").asDouble() <= row.path("p99_us").asDouble(), row.toString());
      }
    }
    assertEquals(
        Set.of(
            "queue_pair/1",
            "queue_pair/2",
            "queue_async/1",
            "lock_pair/1",
            "counter_incr/1",
            "value_set_get/1",
            "dict_put_get/1",
            "task_batch_1per_msg/1",
            "task_batch_chunked/1",
            "task_roundtrip/1"),
        keys);
    assertEquals(10, report.at("/results/0/count").asInt());
    assertEquals(0, report.path("errors").size(), report.path("errors").toString());
    // 8 items / (1 worker x 4), as Python's Pool chunking.
    assertEquals(2, report.at("/meta/params/chunksize_default").asInt());
    assertTrue(
        report.at("/meta/coordinator_memory/heap_used_mib").asDouble() > 0, report.toString());
    assertTrue(run.out().contains("ratio colony/best"), run.out());
    assertTrue(
        run.out().lines().anyMatch(l -> l.startsWith("lock_pair") && l.contains("mp.managers")),
        run.out());
    assertTrue(run.out().contains("mp.json  started_utc 2026-11-24T19:39:09Z"), run.out());
    assertTrue(run.out().contains("from a STORED peers' run"), run.out());
    assertEquals("stored run", report.at("/meta/peers/source").asText());
  }

  @Test
  void durabilityQuickRun_printsTheThreeMeasurements_andWritesThemAsJson() throws Exception {
    Path out = dir.resolve("bench").resolve("durable.json");

    Run run =
        execute(
            "--durability",
            "--quick",
            // The loads' 8 clients x 8 threads: two increments, then one put + poll pair each.
            "--durable-ops=128",
            "--durable-clients=1",
            "--durable-count=5",
            "--launcher-main=" + TestLauncher.class.getName(),
            "--out=" + out);

    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("restart on the same dir to serving"), run.out());
    assertTrue(run.out().contains("target under 3 s"), run.out());
    assertTrue(run.out().contains("bound 64.0 MiB"), run.out());
    assertTrue(run.out().contains("durable --sync always / in-memory"), run.out());
    assertTrue(run.out().contains("durable --sync batch / in-memory"), run.out());
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertEquals(0, report.path("errors").size(), report.path("errors").toString());
    assertEquals(128, report.at("/restart/counter_after_restart").asLong(), report.toString());
    assertEquals(128, report.at("/data_dir_size/ops").asLong(), report.toString());
    assertTrue(report.at("/data_dir_size/samples").size() > 0, report.toString());
    assertEquals(3, report.at("/throughput/rows").size(), report.toString());
    assertEquals(5, report.at("/throughput/rows/1/ops").asLong(), report.toString());
    assertEquals(3, report.at("/throughput/pipelined_rows").size(), report.toString());
    assertEquals(40, report.at("/throughput/pipelined_rows/1/ops").asLong(), report.toString());
    assertTrue(report.at("/throughput/fsync/p50_us").asDouble() > 0, report.toString());
    assertTrue(run.out().contains("synchronous callers reach at most"), run.out());
    // The data dirs are gone once measured.
    assertEquals(0, Files.list(dir.resolve("bench").resolve("durability-data")).count(), run.out());
  }

  @Test
  void groupQuickRun_measuresFailoverAndTheGroupAgainstOneNode_andWritesThemAsJson()
      throws Exception {
    Path out = dir.resolve("bench").resolve("group.json");

    Run run =
        execute(
            "--group",
            "--quick",
            "--kills=1",
            "--durable-clients=1",
            "--durable-count=5",
            "--launcher-main=" + TestLauncher.class.getName(),
            "--out=" + out);

    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("first increment acknowledged"), run.out());
    assertTrue(run.out().contains("target under 3 s"), run.out());
    assertTrue(run.out().contains("group of 3 / one durable node"), run.out());
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertEquals(0, report.path("errors").size(), report.path("errors").toString());
    assertEquals(1, report.at("/failover/kill_to_first_write_seconds").size(), report.toString());
    assertTrue(report.at("/failover/median_seconds").asDouble() > 0, report.toString());
    assertEquals(
        report.at("/failover/acknowledged_increments").asLong(),
        report.at("/failover/counter").asLong(),
        report.toString());
    assertEquals(2, report.at("/throughput/rows").size(), report.toString());
    assertEquals(5, report.at("/throughput/rows/1/ops").asLong(), report.toString());
    assertTrue(report.at("/throughput/rows/1/ratio_to_one_node").asDouble() > 0, report.toString());
    assertEquals(0, Files.list(dir.resolve("bench").resolve("group-data")).count(), run.out());
  }

  @Test
  void durability_withOnly_isAUsageError() {
    Run run = execute("--durability", "--only=queue_pair", "--out=" + dir.resolve("x.json"));

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--durability"), run.err());
  }

  @Test
  void withPeers_runsACopyOfTheHarnessBetweenColonysRuns_andComparesWithItsFigures()
      throws Exception {
    // A harness with run_all.sh's contract (results/<peer>.json in the peers' format) that takes
    // a second instead of five minutes; the real one runs in `colony bench --with-peers`.
    Path harness = Files.createDirectories(dir.resolve("harness"));
    Files.writeString(
        harness.resolve("run_all.sh"),
        """
        echo "peer run with $*"
        mkdir -p results
        cat > results/mp.json <<'JSON'
        {"meta": {"started_utc": "2026-11-30T02:00:00Z"},
         "results": [{"op": "counter_incr", "clients": 1, "ops_per_s": 100.0,
                      "column": "mp.managers"}], "errors": []}
        JSON
        cat > results/hazelcast.json <<'JSON'
        {"meta": {"started_utc": "2026-11-30T02:01:00Z"},
         "results": [{"op": "counter_incr", "clients": 1, "ops_per_s": 50.0,
                      "column": "Hazelcast 5.4.0"}], "errors": []}
        JSON
        """);
    Path out = dir.resolve("bench").resolve("colony.json");

    Run run =
        execute(
            "--quick",
            "--only=counter_incr",
            "--count=5",
            "--warmup=1",
            "--runs=2",
            "--with-peers",
            "--peers-harness=" + harness,
            "--launcher-main=" + TestLauncher.class.getName(),
            "--out=" + out);

    assertEquals(0, run.exitCode(), run.out() + run.err());
    String text = run.out();
    int firstRun = text.indexOf("run 1 of 2");
    int peersRun = text.indexOf("peers | peer run with --quick");
    int secondRun = text.indexOf("run 2 of 2");
    assertTrue(firstRun >= 0 && firstRun < peersRun && peersRun < secondRun, text);
    assertTrue(Files.notExists(harness.resolve("results")), "the harness ran in its own copy");
    assertTrue(
        Files.isRegularFile(out.resolveSibling("peers-run").resolve("peers/results/mp.json")));
    String row =
        text.lines().filter(l -> l.startsWith("counter_incr")).reduce((a, b) -> b).orElseThrow();
    // Each peer's figure, the best one's name and Colony's ratio to it.
    assertTrue(row.contains(" 100 ") && row.contains(" 50 ") && row.contains("mp.managers"), row);
    assertTrue(row.matches(".*\\d+\\.\\d\\dx$"), row);
    assertTrue(text.contains("measured by the peers' harness in this run"), text);
    assertTrue(!text.contains("STORED"), text);
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertEquals("same run", report.at("/meta/peers/source").asText(), report.toString());
  }

  @Test
  void footprintQuickRun_measuresWaitersItemsAnIdleWorkerAndTasksByWorkers() throws Exception {
    Path out = dir.resolve("bench").resolve("footprint.json");

    Run run =
        execute(
            "--footprint",
            "--quick",
            "--pool-items=10",
            "--slots=2",
            "--launcher-main=" + TestLauncher.class.getName(),
            "--out=" + out);

    assertEquals(0, run.exitCode(), run.out() + run.err());
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    assertEquals(500, report.at("/waiters/waiters").asInt(), report.toString());
    assertTrue(report.at("/waiters/bytes_per_waiter").isNumber(), report.toString());
    assertEquals(20_000, report.at("/queued_items/items").asInt(), report.toString());
    assertTrue(report.at("/queued_items/mib_per_million").isNumber(), report.toString());
    assertTrue(report.at("/idle_worker/heap_mib").asDouble() > 0, report.toString());
    assertTrue(report.at("/tasks_by_workers/1_worker").asDouble() > 0, report.toString());
    assertTrue(report.at("/tasks_by_workers/2_workers").asDouble() > 0, report.toString());
    assertTrue(run.out().contains("takes blocked on one queue"), run.out());
    assertTrue(run.out().contains("target: at most 250 MiB"), run.out());
  }

  @Test
  void withPeers_andAStoredRun_isAUsageError() {
    Run run = execute("--with-peers", "--peers=" + dir, "--out=" + dir.resolve("x.json"));

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("not both"), run.err());
  }

  @Test
  void unknownRow_isAUsageError_listingTheRows() {
    Run run = execute("--only=queue_pair,nonsense", "--out=" + dir.resolve("x.json"));

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("unknown row 'nonsense'"), run.err());
    assertTrue(run.err().contains("task_roundtrip"), run.err());
  }
}
