package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.server.ColonyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The object commands against a real coordinator, read back and written by an SDK client. */
@Timeout(60)
class ObjectCommandsTest {
  private final ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
  private final String address = "127.0.0.1:" + server.port();
  private final ColonyClient sdk = Colony.connect(address);

  @AfterEach
  void stop() throws InterruptedException {
    sdk.close();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private CliRun colony(String... args) {
    return CliRun.against(address, args);
  }

  @Test
  void valueSet_fromTheCli_isReadByAnSdkClient() {
    CliRun set = colony("value", "set", "counter", "41");

    assertEquals(0, set.exitCode(), set::toString);
    assertEquals(41L, sdk.atomicLong("counter").get());
    assertEquals(41L, sdk.value("counter", Long.class).get());
  }

  @Test
  void valueSetBySdk_isPrintedByTheCli_andAddPrintsTheSum() {
    sdk.atomicLong("hits").set(7);

    CliRun get = colony("value", "get", "hits");
    CliRun add = colony("value", "add", "hits", "5");

    assertEquals(0, get.exitCode(), get::toString);
    assertEquals("7", get.out().strip());
    assertEquals("12", add.out().strip(), add::toString);
    assertEquals(12L, sdk.atomicLong("hits").get());
  }

  @Test
  void stringValue_travelsBothWaysWithTypeString() {
    assertEquals(0, colony("value", "set", "motd", "hello there", "--type", "string").exitCode());
    assertEquals("hello there", sdk.value("motd", String.class).get());

    sdk.value("motd", String.class).set("bye");
    assertEquals("bye", colony("value", "get", "motd", "--type", "string").out().strip());
  }

  @Test
  void valueGet_withTheWrongType_failsAndSaysWhichOptionFixesIt() {
    sdk.value("motd", String.class).set("hi");

    CliRun get = colony("value", "get", "motd");

    assertEquals(1, get.exitCode(), get::toString);
    assertTrue(get.err().contains("--type"), get::toString);
    assertEquals(1, get.err().strip().lines().count(), get::toString);
  }

  @Test
  void valueSet_ofTextAsALong_failsWithAHint() {
    CliRun set = colony("value", "set", "n", "many");

    assertEquals(1, set.exitCode(), set::toString);
    assertTrue(set.err().contains("'many' is not a long"), set::toString);
  }

  @Test
  void valueGet_ofAMissingValue_exits3_withoutCreatingIt() {
    CliRun get = colony("value", "get", "nothing");

    assertEquals(ExitCodes.NOTHING, get.exitCode(), get::toString);
    assertEquals("", get.out());
    assertTrue(colony("status", "--json").out().indexOf("\"nothing\"") < 0);
  }

  @Test
  void queuePut_fromTheCli_isTakenByAnSdkClient() throws InterruptedException {
    CliRun put = colony("queue", "put", "jobs", "resize photo 17");

    assertEquals(0, put.exitCode(), put::toString);
    assertEquals("resize photo 17", sdk.queue("jobs", String.class).poll(5, TimeUnit.SECONDS));
  }

  @Test
  void queuePut_ofAnAtPath_storesTheTextLiterally_notTheFile(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "do not leak");

    CliRun put = colony("queue", "put", "jobs", "@" + secret);

    assertEquals(0, put.exitCode(), put::toString);
    assertEquals("@" + secret, sdk.queue("jobs", String.class).poll(5, TimeUnit.SECONDS));
  }

  @Test
  void queuePut_withValueFile_storesTheFilesContent(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path item = Files.writeString(dir.resolve("item.txt"), "line one\nline two\n");

    CliRun put = colony("queue", "put", "jobs", "--value-file", item.toString());

    assertEquals(0, put.exitCode(), put::toString);
    assertEquals("line one\nline two\n", sdk.queue("jobs", String.class).poll(5, TimeUnit.SECONDS));
  }

  @Test
  void queuePut_withBothValueAndValueFile_isAUsageError(@TempDir Path dir) throws IOException {
    Path item = Files.writeString(dir.resolve("item.txt"), "x");

    CliRun both = colony("queue", "put", "jobs", "y", "--value-file", item.toString());
    CliRun neither = colony("queue", "put", "jobs");

    assertEquals(ExitCodes.USAGE, both.exitCode(), both::toString);
    assertTrue(both.err().contains("not both"), both::toString);
    assertEquals(ExitCodes.USAGE, neither.exitCode(), neither::toString);
    assertTrue(neither.err().contains("--value-file FILE"), neither::toString);
  }

  @Test
  void queueItemsPutBySdk_areTakenByTheCli_inOrder() throws InterruptedException {
    sdk.queue("jobs", String.class).put("first");
    sdk.queue("jobs", String.class).put("second");

    assertEquals("2", colony("queue", "size", "jobs").out().strip());
    assertEquals("first", colony("queue", "get", "jobs").out().strip());
    assertEquals("second", colony("queue", "get", "jobs").out().strip());
    assertEquals("0", colony("queue", "size", "jobs").out().strip());
  }

  @Test
  void longItems_travelBothWaysWithTypeLong() throws InterruptedException {
    sdk.queue("numbers", Long.class).put(42L);
    CliRun get = colony("queue", "get", "numbers", "--type", "long");
    assertEquals("42", get.out().strip(), get::toString);

    assertEquals(0, colony("queue", "put", "numbers", "43", "--type", "long").exitCode());
    assertEquals(43L, sdk.queue("numbers", Long.class).poll(5, TimeUnit.SECONDS));
  }

  @Test
  void queueGet_ofAnItemOfAnotherType_failsAndLeavesTheItem() throws InterruptedException {
    sdk.queue("numbers", Long.class).put(42L);

    CliRun get = colony("queue", "get", "numbers");

    assertEquals(1, get.exitCode(), get::toString);
    assertTrue(get.err().contains("--type"), get::toString);
    assertEquals(42L, sdk.queue("numbers", Long.class).poll(5, TimeUnit.SECONDS));
  }

  @Test
  void queueGet_onAnEmptyQueue_printsNothingAndExits3() {
    sdk.queue("jobs", String.class);

    CliRun get = colony("queue", "get", "jobs");

    assertEquals(ExitCodes.NOTHING, get.exitCode(), get::toString);
    assertEquals("", get.out());
    assertTrue(get.err().contains("empty"), get::toString);
  }

  @Test
  void queueGet_withATimeout_waitsForAnItem() {
    CliRun get = colony("queue", "get", "later", "--timeout", "200ms");

    assertEquals(ExitCodes.NOTHING, get.exitCode(), get::toString);
    assertTrue(get.err().contains("nothing arrived within 200 ms"), get::toString);
  }

  @Test
  void mapEntries_travelBothWays() {
    assertEquals(0, colony("map", "put", "config", "color", "blue").exitCode());
    assertEquals("blue", sdk.map("config", String.class, String.class).get("color"));

    sdk.map("config", String.class, String.class).put("size", "XL");
    assertEquals("XL", colony("map", "get", "config", "size").out().strip());
    assertEquals("2", colony("map", "size", "config").out().strip());

    CliRun missing = colony("map", "get", "config", "shape");
    assertEquals(ExitCodes.NOTHING, missing.exitCode(), missing::toString);
    assertEquals("", missing.out());
  }

  @Test
  void lockInfo_showsTheHolderAndFencingToken() {
    ColonyLock lock = sdk.lock("box-office");
    lock.lock();
    try {
      CliRun info = colony("lock", "info", "box-office");

      assertEquals(0, info.exitCode(), info::toString);
      assertTrue(info.out().contains("pid " + ProcessHandle.current().pid()), info::toString);
      assertTrue(info.out().contains("thread " + Thread.currentThread().getId()), info::toString);
      assertTrue(info.out().contains("fencing token:  " + lock.fencingToken()), info::toString);
      assertTrue(info.out().contains("waiters:        0"), info::toString);
    } finally {
      lock.unlock();
    }
    assertTrue(colony("lock", "info", "box-office").out().contains("held by:        nobody"));
  }

  @Test
  void objectCommand_onANameOfAnotherType_saysWhatItIs() {
    sdk.lock("box-office");

    CliRun get = colony("queue", "get", "box-office");

    assertEquals(1, get.exitCode(), get::toString);
    assertTrue(get.err().contains("'box-office' is a lock, not a queue"), get::toString);
  }

  @Test
  void objectCommand_withoutACoordinator_saysHowToStartOne() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    CliRun put = CliRun.of("queue", "put", "q", "x", "--coordinator", "127.0.0.1:" + closedPort);

    assertEquals(1, put.exitCode(), put::toString);
    assertEquals(
        "colony queue put: cannot reach the coordinator at 127.0.0.1:"
            + closedPort
            + " within 5 s; is `colony coordinator` running? (--coordinator or"
            + " COLONY_COORDINATOR names another)",
        put.err().strip());
  }

  @Test
  void groupWithoutSubcommand_isAUsageError() {
    CliRun run = CliRun.of("queue");

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("Missing a command: put, get or size"), run::toString);
  }

  @Test
  void queueGetHelp_documentsTheExitCodes() {
    CliRun help = CliRun.of("queue", "get", "--help");

    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--timeout"), help::toString);
    assertTrue(help.out().contains("nothing there"), help::toString);
  }
}
