package dev.colony.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatioTableTest {
  @TempDir Path peers;

  private static final String MP =
      """
      {"meta": {"peer": "mp", "started_utc": "2026-11-24T19:39:09Z"},
       "results": [
         {"op": "queue_pair", "unit": "pairs/s", "clients": 1, "ops_per_s": 4000.0,
          "p50_us": 215.3, "p99_us": 310.5, "column": "mp.managers"},
         {"op": "queue_pair", "unit": "pairs/s", "clients": 4, "ops_per_s": 20000.0,
          "p50_us": 161.0, "p99_us": 550.0, "column": "mp.managers"},
         {"op": "lock_pair", "unit": "pairs/s", "clients": 1, "ops_per_s": 5000.0,
          "p50_us": 179.0, "p99_us": 282.0, "column": "mp.managers"}
       ],
       "errors": []}
      """;

  private static final String HAZELCAST =
      """
      {"meta": {"peer": "hz", "started_utc": "2026-11-24T19:41:08Z"},
       "results": [
         {"op": "queue_pair", "unit": "pairs/s", "clients": 1, "ops_per_s": 10000.0,
          "p50_us": 79.0, "p99_us": 327.0, "column": "Hazelcast 5.7.0"},
         {"op": "lock_pair", "unit": "pairs/s", "clients": 1, "ops_per_s": null,
          "p50_us": null, "p99_us": null, "column": "Hazelcast 5.7.0",
          "unavailable": "Enterprise feature"}
       ],
       "errors": []}
      """;

  /** A colony.json beside the peers' files must never count as a peer. */
  private static final String OURS =
      """
      {"meta": {"peer": "Colony", "started_utc": "2026-11-25T00:00:00Z"},
       "results": [
         {"op": "lock_pair", "unit": "pairs/s", "clients": 1, "ops_per_s": 99999.0,
          "p50_us": 10.0, "p99_us": 20.0, "column": "colony"}
       ],
       "errors": []}
      """;

  private PeerResults loadPeers() throws IOException {
    Files.writeString(peers.resolve("mp.json"), MP);
    Files.writeString(peers.resolve("hazelcast.json"), HAZELCAST);
    Files.writeString(peers.resolve("colony.json"), OURS);
    Files.writeString(peers.resolve("run_info.txt"), "not json");
    return PeerResults.load(peers);
  }

  private static ResultRow row(String op, int clients, double opsPerSecond) {
    return new ResultRow(op, "pairs/s", clients, 100, 1.0, opsPerSecond, 100.0, 200.0, false, "");
  }

  @Test
  void best_picksTheFastestPeerPerOpAndClients_skippingNullsAndOurOwnColumn() throws IOException {
    PeerResults results = loadPeers();

    assertEquals("Hazelcast 5.7.0", results.best("queue_pair", 1).orElseThrow().column());
    assertEquals(20000.0, results.best("queue_pair", 4).orElseThrow().opsPerSecond());
    PeerResults.Figure lock = results.best("lock_pair", 1).orElseThrow();
    assertEquals("mp.managers", lock.column());
    assertEquals("mp.json", lock.file());
    assertEquals("2026-11-24T19:39:09Z", lock.startedUtc());
    assertTrue(results.best("counter_incr", 1).isEmpty());
  }

  @Test
  void ratio_isColonyOverBestPeer() throws IOException {
    RatioTable table =
        RatioTable.of(
            List.of(
                row("queue_pair", 1, 5000), row("queue_pair", 4, 30000), row("dict_put_get", 1, 1)),
            loadPeers());

    assertEquals(0.5, table.lines().get(0).ratio().orElseThrow(), 1e-9);
    assertEquals(1.5, table.lines().get(1).ratio().orElseThrow(), 1e-9);
    assertFalse(table.lines().get(2).ratio().isPresent());
  }

  @Test
  void format_showsEveryRowWithPeerNameAndRatio_andNamesMediansForSeveralRuns() throws IOException {
    RatioTable table =
        RatioTable.of(List.of(row("queue_pair", 1, 5000), row("dict_put_get", 1, 1)), loadPeers());

    String text = table.format(3);

    assertTrue(text.contains("colony (median of 3)"), text);
    assertTrue(
        text.lines()
            .anyMatch(
                l ->
                    l.startsWith("queue_pair ")
                        && l.contains("Hazelcast 5.7.0")
                        && l.contains("10,000")
                        && l.contains("0.50x")),
        text);
    assertTrue(
        text.lines().anyMatch(l -> l.startsWith("dict_put_get") && l.contains("(no peer row)")),
        text);
  }

  @Test
  void sources_listTheFilesUsedWithTheirStartTime() throws IOException {
    RatioTable table =
        RatioTable.of(List.of(row("queue_pair", 1, 5000), row("lock_pair", 1, 1)), loadPeers());

    assertEquals(
        Map.of("hazelcast.json", "2026-11-24T19:41:08Z", "mp.json", "2026-11-24T19:39:09Z"),
        table.sources());
  }
}
