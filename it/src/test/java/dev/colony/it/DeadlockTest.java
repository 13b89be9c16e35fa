package dev.colony.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.cli.ColonyCommand;
import dev.colony.it.apps.LockPairApp;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Two client processes take locks A then B and B then A. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadlockTest {
  private static final Duration LINE = Duration.ofSeconds(30);

  @Test
  void abBaCycle_isReportedOnTheDashboardAndInStatus() throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.start();
        JavaProcess ab = pair(coordinator, "A", "B");
        JavaProcess ba = pair(coordinator, "B", "A")) {
      formCycle(ab, ba);
      // Detection happens as the second waiter blocks; the bound is for a loaded machine, not a
      // claim about speed.
      await()
          .atMost(LINE)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> apiStatus(coordinator).contains("\"deadlocks\""));
      String status = apiStatus(coordinator);
      assertTrue(status.contains("\"object\": \"A\""), status);
      assertTrue(status.contains("\"object\": \"B\""), status);
      assertTrue(status.contains("lock-pair A") && status.contains("lock-pair B"), status);
      String statusTable = colonyStatus(coordinator);
      assertTrue(statusTable.contains("'A'") && statusTable.contains("'B'"), statusTable);
      // Report mode only reports: both are still waiting.
      assertTrue(ab.isAlive() && ba.isAlive());
    }
  }

  @Test
  void failPolicy_failsOneWaiterAndTheOtherCompletes() throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.start("--deadlock=fail");
        JavaProcess ab = pair(coordinator, "A", "B");
        JavaProcess ba = pair(coordinator, "B", "A")) {
      formCycle(ab, ba);
      assertEquals(0, ab.waitFor(LINE));
      assertEquals(0, ba.waitFor(LINE));
      List<String> lines = new java.util.ArrayList<>(ab.lines());
      lines.addAll(ba.lines());
      long deadlocks = lines.stream().filter(l -> l.startsWith("DEADLOCK ")).count();
      long got = lines.stream().filter(l -> l.equals("GOT")).count();
      assertEquals(1, deadlocks, lines.toString());
      assertEquals(1, got, lines.toString());
      String message = lines.stream().filter(l -> l.startsWith("DEADLOCK ")).findFirst().get();
      assertTrue(message.contains("'A'") && message.contains("'B'"), message);
    }
  }

  private static JavaProcess pair(CoordinatorProcess coordinator, String first, String second) {
    return JavaProcess.start("lock-pair", LockPairApp.class, coordinator.target(), first, second);
  }

  /** Both hold their first lock before either asks for its second: the cycle always forms. */
  private static void formCycle(JavaProcess ab, JavaProcess ba) throws Exception {
    ab.awaitLine("HOLD"::equals, LINE);
    ba.awaitLine("HOLD"::equals, LINE);
    ab.send("go");
    ba.send("go");
    ab.awaitLine("WAITING"::equals, LINE);
    ba.awaitLine("WAITING"::equals, LINE);
  }

  /** What `colony status` prints about this coordinator. */
  private static String colonyStatus(CoordinatorProcess coordinator) {
    StringWriter out = new StringWriter();
    CommandLine colony = ColonyCommand.newCommandLine();
    colony.setOut(new PrintWriter(out, true));
    int exit =
        colony.execute("status", "--coordinator", coordinator.target(), "--rate-window", "0s");
    assertEquals(0, exit, out.toString());
    return out.toString();
  }

  private static String apiStatus(CoordinatorProcess coordinator) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(coordinator.dashboard() + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
