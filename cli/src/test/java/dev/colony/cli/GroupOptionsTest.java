package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `colony coordinator --node-id --peers`: what makes a bad group is one line and exit 2. */
class GroupOptionsTest {
  private static final String PEERS = "n1=127.0.0.1:7081,n2=127.0.0.1:7082,n3=127.0.0.1:7083";

  @TempDir Path dir;

  @Test
  void nodeIdWithoutPeers_isAUsageError() {
    assertUsageError(
        "--node-id and --peers go together",
        "coordinator",
        "--node-id",
        "n1",
        "--data-dir",
        dir.toString());
  }

  @Test
  void aMemberWithoutADataDir_isAUsageError() {
    assertUsageError("give --data-dir DIR", "coordinator", "--node-id", "n1", "--peers", PEERS);
  }

  @Test
  void aNodeIdThatIsNoPeer_isAUsageError_namingThePeers() {
    assertUsageError(
        "--node-id n9 is not one of --peers (n1, n2, n3)",
        "coordinator",
        "--node-id",
        "n9",
        "--peers",
        PEERS,
        "--data-dir",
        dir.toString());
  }

  @Test
  void aMalformedPeer_isAUsageError_sayingWhatAPeerLooksLike() {
    assertUsageError(
        "a group member is ID=HOST:RAFTPORT",
        "coordinator",
        "--node-id",
        "n1",
        "--peers",
        "n1=127.0.0.1",
        "--data-dir",
        dir.toString());
  }

  @Test
  void clusterCommands_needANodeOrAnId() {
    CliRun run = CliRun.of("cluster", "add-node");
    assertEquals(2, run.exitCode(), run::toString);
  }

  private static void assertUsageError(String message, String... args) {
    CliRun run = CliRun.of(args);
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains(message), run::toString);
    assertEquals(1, run.err().strip().lines().count(), run::toString);
  }
}
