package dev.colony.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Names with a lone surrogate have no UTF-8 form: protobuf would send each as '?', and two
 * different names would reach the coordinator as one object. The SDK refuses them before sending.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NamesOverTheWireTest {
  private ColonyClient client;

  @BeforeEach
  void connect() {
    client = ColonyServerFixture.connect();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void namesWithLoneSurrogates_areRefusedBeforeSending_andNothingIsCreated() {
    String prefix = ColonyServerFixture.name("utf16");

    IllegalArgumentException high =
        assertThrows(
            IllegalArgumentException.class, () -> client.queue(prefix + "a\uD800b", String.class));
    IllegalArgumentException low =
        assertThrows(IllegalArgumentException.class, () -> client.lock(prefix + "a\uDFFFb"));

    assertTrue(high.getMessage().contains("lone surrogate U+D800"), high::getMessage);
    assertTrue(low.getMessage().contains("lone surrogate U+DFFF"), low::getMessage);
    assertFalse(client.delete(prefix + "a?b"), "an object 'a?b' was created");
  }

  @Test
  void taskAndProcessNamesWithLoneSurrogates_areRefusedBeforeSubmitting() {
    try (Pool pool = client.pool()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> pool.applyAsync("com.acme.T\uD800ask", "x", String.class));
      assertTrue(e.getMessage().contains("a task name must be valid UTF-16"), e::getMessage);
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            client.process(
                NoTask.class, "x", ProcessOptions.newBuilder().setName("p\uDC00").build()));
  }

  @Test
  void namesWithSurrogatePairs_stayDistinct() {
    String prefix = ColonyServerFixture.name("emoji");
    client.atomicLong(prefix + "\uD83D\uDE00").set(1);
    client.atomicLong(prefix + "\uD83D\uDE01").set(2);

    assertEquals(1, client.atomicLong(prefix + "\uD83D\uDE00").get());
    assertEquals(2, client.atomicLong(prefix + "\uD83D\uDE01").get());
  }

  /** Never run: the process is refused before it is submitted. */
  static final class NoTask implements Task<String, String> {
    @Override
    public String call(String argument, TaskContext context) {
      return argument;
    }
  }
}
