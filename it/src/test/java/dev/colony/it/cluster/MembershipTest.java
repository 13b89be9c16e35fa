package dev.colony.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.cli.ColonyCommand;
import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyValue;
import dev.colony.it.support.CoordinatorGroup;
import dev.colony.proto.v1.ClusterNodeStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Members change while the group serves: `colony cluster add-node` brings in a fourth node, which
 * catches up, and `remove-node` takes it out again; a follower SIGKILLed while a client writes
 * fails none of its calls, and once back, after the leader snapshotted and purged the log it
 * missed, catches up from the snapshot.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MembershipTest {
  /**
   * More log entries than between two snapshots (2,000), of 8 KiB each: the first 8 MiB log segment
   * closes after about 1,000 of them, so the snapshot after 2,000 covers it and the leader purges
   * the log a returning member would need.
   */
  private static final int SETS = 2_300;

  private static final String BLOB = "x".repeat(8_192);

  @TempDir Path dataDir;

  @Test
  void addAndRemoveANode_andANodeThatWasDownCatchesUpFromASnapshot() throws Exception {
    try (CoordinatorGroup group = CoordinatorGroup.start(3, dataDir, "--sync", "batch")) {
      String leader = group.awaitLeader();
      String target = group.target(leader);

      // The README's walk-through: a list of addresses, a value, the group in status.
      String readme = Files.readString(Path.of("..", "README.md"));
      for (String line :
          List.of(
              "bin/colony coordinator --node-id n1 --peers $PEERS --port 7070",
              "export COLONY_COORDINATOR=127.0.0.1:7070,127.0.0.1:7072,127.0.0.1:7074",
              "bin/colony value add visits 5",
              "bin/colony cluster add-node n4=127.0.0.1:7084",
              "bin/colony cluster remove-node n4")) {
        assertTrue(readme.contains(line), "README.md shows: " + line);
      }
      assertEquals("5", colony("value", "add", "--coordinator", group.targets(), "visits", "5"));
      String status = colony("status", "--coordinator", group.targets(), "--rate-window", "0");
      assertTrue(
          status.contains("CLUSTER (3 nodes, term ") && status.contains("leader " + leader),
          status);

      String added = group.startNewNode("n4");
      assertEquals(
          "added " + added + "; the group is now n1, n2, n3, n4",
          colony("cluster", "add-node", "--coordinator", target, added));
      group.awaitCaughtUp(leader, "n4");

      assertEquals(
          "removed n4; the group is now n1, n2, n3",
          colony("cluster", "remove-node", "--coordinator", target, "n4"));
      assertEquals(
          List.of("n1", "n2", "n3"),
          group.cluster(leader).getNodesList().stream().map(ClusterNodeStatus::getId).toList());
      group.kill("n4");

      // A follower is SIGKILLed while a client writes: not one call fails.
      String down = leader.equals("n3") ? "n2" : "n3";
      try (ColonyClient client = Colony.connect(group.targets())) {
        ColonyValue<String> value = client.value("blob", String.class);
        for (int i = 0; i < SETS; i++) {
          if (i == SETS / 10) {
            group.kill(down);
          }
          value.set(BLOB + i);
        }
        assertEquals(BLOB + (SETS - 1), value.get());
      }
      assertTrue(hasSnapshot(group.dataDir(leader)), "the leader took a snapshot");

      group.restart(down);
      group.awaitCaughtUp(leader, down);
      assertTrue(hasSnapshot(group.dataDir(down)), down + " holds a snapshot after catching up");
    }
  }

  private static boolean hasSnapshot(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("snapshot."));
    }
  }

  /** Runs a `colony` command in this JVM and returns what it printed; fails on a non-zero exit. */
  private static String colony(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = ColonyCommand.newCommandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    assertEquals(0, exit, () -> String.join(" ", args) + " failed: " + err + out);
    return out.toString().strip();
  }
}
