package dev.colony.it.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.AccessTokens;
import dev.colony.server.core.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of sessions from one token, or from one address, stops at its limit with
 * RESOURCE_EXHAUSTED, and a client with another token still opens a session and works. A real
 * coordinator over TCP on loopback, so every client comes from 127.0.0.1.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SessionFloodTest {
  private static final String FLOODER = "flooding-client-token-0123456789";
  private static final String OTHER = "other-client-token-0123456789ab";
  private static final int PER_TOKEN = 4;
  private static final int PER_ADDRESS = 6;

  @TempDir Path dir;
  private ColonyServer server;
  private final List<ColonyClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Path tokens =
        Files.writeString(dir.resolve("tokens"), "client=" + FLOODER + "\nclient=" + OTHER + "\n");
    server =
        ColonyServer.newBuilder()
            .setHost("127.0.0.1")
            .setPort(0)
            .setAccessTokens(AccessTokens.read(tokens))
            .setLimits(
                Limits.defaults()
                    .withMaxSessionsPerPrincipal(PER_TOKEN)
                    .withMaxSessionsPerAddress(PER_ADDRESS))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (ColonyClient client : clients) {
      client.close();
    }
    server.shutdownNow();
    assertTrue(server.awaitTermination(30, TimeUnit.SECONDS), "the coordinator stops");
  }

  @Test
  void a_flood_from_one_token_stops_at_its_limit_and_another_token_works() {
    for (int i = 0; i < PER_TOKEN; i++) {
      clients.add(connect(FLOODER));
    }

    ColonyException refused = assertThrows(ColonyException.class, () -> connect(FLOODER));

    assertLimit(refused, "per token");
    ColonyClient other = connect(OTHER);
    clients.add(other);
    assertEquals(1, other.atomicLong("after-token-flood").incrementAndGet());
  }

  @Test
  void a_flood_from_one_address_stops_at_its_limit() {
    for (int i = 0; i < PER_ADDRESS; i++) {
      clients.add(connect(i % 2 == 0 ? FLOODER : OTHER));
    }

    ColonyException refused = assertThrows(ColonyException.class, () -> connect(OTHER));

    assertLimit(refused, "the address 127.0.0.1 already has " + PER_ADDRESS);
    clients.remove(0).close();
    ColonyClient next = connect(OTHER);
    clients.add(next);
    assertEquals(1, next.atomicLong("after-address-flood").incrementAndGet());
  }

  private static void assertLimit(ColonyException refused, String fragment) {
    assertEquals(ColonyException.Code.RESOURCE_EXHAUSTED, refused.code(), refused.getMessage());
    assertEquals(ErrorReason.LIMIT_EXCEEDED, refused.reason(), refused.getMessage());
    assertTrue(refused.getMessage().contains(fragment), refused.getMessage());
  }

  private ColonyClient connect(String token) {
    return Colony.connect(
        ColonyOptions.newBuilder()
            .setTarget("127.0.0.1:" + server.port())
            .setToken(token)
            .setConnectTimeout(Duration.ofSeconds(60))
            .build());
  }
}
