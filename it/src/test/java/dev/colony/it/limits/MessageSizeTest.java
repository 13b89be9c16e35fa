package dev.colony.it.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyQueue;
import dev.colony.it.support.ColonyExtension;
import dev.colony.proto.v1.ErrorReason;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A call over the coordinator's message limit is refused by the SDK before it is sent: gRPC would
 * otherwise reset the session's stream and fail every other call in flight on it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MessageSizeTest {
  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  @Test
  void a_100_MiB_put_fails_with_payload_too_large_and_a_blocked_poll_survives(ColonyClient client)
      throws Exception {
    String waitingName = colony.name("waiting");
    ColonyQueue<String> waiting = client.queue(waitingName, String.class);
    ColonyQueue<byte[]> big = client.queue(colony.name("big"), byte[].class);
    ExecutorService poller = Executors.newSingleThreadExecutor();
    try (ColonyClient other = colony.newClient()) {
      Future<String> polled = poller.submit(() -> waiting.poll(60, TimeUnit.SECONDS));
      awaitOneWaiter();

      ColonyException refused =
          assertThrows(ColonyException.class, () -> big.put(new byte[100 << 20]));

      assertEquals(ColonyException.Code.RESOURCE_EXHAUSTED, refused.code());
      assertEquals(ErrorReason.PAYLOAD_TOO_LARGE, refused.reason());
      assertTrue(
          refused.getMessage().contains("over the coordinator's limit of " + (4 << 20) + " bytes"),
          refused.getMessage());
      other.queue(waitingName, String.class).put("served");
      assertEquals("served", polled.get(60, TimeUnit.SECONDS), "the poll blocked during the put");
      assertEquals(0, big.size(), "nothing of the refused put arrived");
    } finally {
      poller.shutdownNow();
      assertTrue(poller.awaitTermination(30, TimeUnit.SECONDS), "the poller thread ends");
    }
  }

  private static void awaitOneWaiter() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (colony.waiters() != 1) {
      if (System.nanoTime() > deadline) {
        fail("the poll did not block on the coordinator within 60 s");
      }
      Thread.sleep(20);
    }
  }
}
