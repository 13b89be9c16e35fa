package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyQueue;
import dev.colony.server.ColonyServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code colony objects} and {@code colony delete} against a real coordinator. */
@Timeout(60)
class ObjectsAndDeleteCommandTest {
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
  void objects_listsEachObjectByName_withTypeAndSize() throws InterruptedException {
    sdk.queue("jobs", String.class).put("a");
    sdk.queue("jobs", String.class).put("b");
    sdk.atomicLong("counter").set(3);
    sdk.map("config", String.class, String.class).put("color", "blue");

    CliRun objects = colony("objects");

    assertEquals(0, objects.exitCode(), objects::toString);
    assertEquals(
        "NAME     TYPE   SIZE  HOLDERS  WAITERS\n"
            + "config   map       1  -              0\n"
            + "counter  value     0  -              0\n"
            + "jobs     queue     2  -              0\n",
        objects.out(),
        objects::toString);
    assertEquals("", objects.err());
  }

  @Test
  void objects_withNone_saysNone() {
    CliRun objects = colony("objects");

    assertEquals(0, objects.exitCode(), objects::toString);
    assertEquals("none\n", objects.out());
  }

  @Test
  void objectsJson_isAnObjectsArray() {
    sdk.atomicLong("counter").set(3);

    CliRun objects = colony("objects", "--json");

    assertEquals(0, objects.exitCode(), objects::toString);
    String out = objects.out();
    assertTrue(out.strip().startsWith("{\n  \"objects\": [{"), out);
    assertTrue(out.contains("\"name\": \"counter\""), out);
    assertTrue(out.contains("\"type\": \"VALUE\""), out);
  }

  @Test
  void delete_removesTheObject_andSaysSo() {
    sdk.atomicLong("counter").set(3);

    CliRun delete = colony("delete", "counter");

    assertEquals(0, delete.exitCode(), delete::toString);
    assertEquals("deleted counter\n", delete.out());
    assertEquals("", delete.err());
    assertEquals("none\n", colony("objects").out());
  }

  @Test
  void delete_ofAnUnknownName_exits3_withOneLineOnStderr() {
    CliRun delete = colony("delete", "nothing");

    assertEquals(ExitCodes.NOTHING, delete.exitCode(), delete::toString);
    assertEquals("", delete.out());
    assertEquals("no object named 'nothing'\n", delete.err());
  }

  @Test
  void delete_failsAWaitingTake_withNotFound() throws Exception {
    ColonyQueue<String> jobs = sdk.queue("jobs", String.class);
    CompletableFuture<String> take =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return jobs.take();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    // The take is parked once the coordinator counts its waiter.
    org.awaitility.Awaitility.await("the take waits on the queue")
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> colony("objects").out().matches("(?s).*jobs\\s+queue\\s+0\\s+-\\s+1\n.*"));

    CliRun delete = colony("delete", "jobs");

    assertEquals(0, delete.exitCode(), delete::toString);
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> take.get(20, TimeUnit.SECONDS));
    assertTrue(failed.getCause() instanceof ColonyException, () -> failed.getCause().toString());
    assertEquals(
        ColonyException.Code.NOT_FOUND, ((ColonyException) failed.getCause()).code(), "code");
  }
}
