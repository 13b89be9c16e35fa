package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.it.support.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's durability example, as written: a coordinator with a data directory is killed with
 * kill -9 and started again on the same directory, and the value it had is still there.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadmeDurabilityTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LISTENING =
      Pattern.compile("Colony coordinator listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Duration LINE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void readme_showsTheKillAndRestartExample() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (String line :
        List.of(
            "bin/colony coordinator --data-dir colony-data &",
            "bin/colony value add hits 5",
            "kill -9 %1",
            "bin/colony value get hits")) {
      assertTrue(readme.contains(line), "README.md shows: " + line);
    }
  }

  @Test
  void valueSurvivesKillMinus9_ofACoordinatorWithADataDir() throws Exception {
    String dataDir = dir.resolve("colony-data").toString();
    int port;
    try (JavaProcess first = coordinator(dataDir, 0)) {
      port = portOf(first);
      assertTrue(
          first.lines().stream()
              .anyMatch(l -> l.equals("State kept in " + dataDir + " (--sync always)")),
          "start-up line names the data dir: " + first.lines());
      assertEquals(
          List.of("5"), colony("value", "add", "--coordinator", "127.0.0.1:" + port, "hits", "5"));
      first.kill();
    }
    try (JavaProcess second = coordinator(dataDir, port)) {
      assertEquals(port, portOf(second));
      assertEquals(
          List.of("5"), colony("value", "get", "--coordinator", "127.0.0.1:" + port, "hits"));
    }
  }

  private static JavaProcess coordinator(String dataDir, int port) {
    return JavaProcess.start(
        "coordinator",
        "dev.colony.cli.ColonyCommand",
        List.of("coordinator", "--port", String.valueOf(port), "--no-http", "--data-dir", dataDir),
        true);
  }

  private static int portOf(JavaProcess coordinator) throws Exception {
    Matcher m = LISTENING.matcher(coordinator.awaitLine(l -> LISTENING.matcher(l).find(), LINE));
    assertTrue(m.find());
    coordinator.awaitLineStartingWith("State ", LINE);
    return Integer.parseInt(m.group(1));
  }

  /** Runs one `colony` command in its own JVM, as the shell would, and returns its stdout. */
  private static List<String> colony(String... args) throws Exception {
    try (JavaProcess command =
        JavaProcess.start("colony-" + args[0], "dev.colony.cli.ColonyCommand", List.of(args))) {
      assertEquals(0, command.waitFor(LINE), "exit code of colony " + String.join(" ", args));
      return new ArrayList<>(command.lines());
    }
  }
}
