package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.FakeFollower;
import dev.colony.server.ColonyServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Commands given several coordinators, as the members of a replicated group. */
@Timeout(60)
class CoordinatorListCliTest {
  private final ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
  private final String leader = "127.0.0.1:" + server.port();

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void status_followerFirst_asksTheLeaderItNames() throws Exception {
    try (FakeFollower follower = FakeFollower.start("n2", leader)) {
      CliRun run = CliRun.against(follower.address() + "," + leader, "status", "--json");

      assertEquals(0, run.exitCode(), run::toString);
      assertTrue(run.out().startsWith("{"), run::toString);
    }
  }

  @Test
  void status_followerOnly_asksTheLeaderItNames() throws Exception {
    try (FakeFollower follower = FakeFollower.start("n2", leader)) {
      CliRun run = CliRun.against(follower.address(), "status");

      assertEquals(0, run.exitCode(), run::toString);
    }
  }

  @Test
  void objectCommand_followerFirst_worksThroughTheSdk() throws Exception {
    try (FakeFollower follower = FakeFollower.start("n2", leader)) {
      String both = follower.address() + "," + leader;

      CliRun put = CliRun.against(both, "queue", "put", "list-jobs", "one");
      assertEquals(0, put.exitCode(), put::toString);
      CliRun get = CliRun.against(both, "queue", "get", "list-jobs", "--timeout", "5s");
      assertEquals(0, get.exitCode(), get::toString);
      assertEquals("one", get.out().strip(), get::toString);
    }
  }

  @Test
  void status_malformedEntry_isAUsageErrorNamingIt() {
    CliRun run = CliRun.against(leader + ",h2:70x", "status");

    assertEquals(2, run.exitCode(), run::toString);
    assertEquals(
        "colony status: the coordinator address is HOST:PORT, e.g. 127.0.0.1:7070; got h2:70x",
        run.err().strip(),
        run::toString);
  }
}
