package dev.colony.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Safe defaults: beyond loopback, a coordinator without tokens is refused before it binds. */
class InsecureAddressTest {
  @Test
  void anyAddress_withoutTokens_isRefusedSayingHowToFixIt() {
    var refused =
        assertThrows(
            InsecureAddressException.class,
            () -> ColonyServer.newBuilder().setHost("0.0.0.0").setPort(0).build());
    assertTrue(refused.getMessage().contains("--token-file"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--insecure"), refused.getMessage());
  }

  @Test
  void anyAddress_whenInsecure_starts() throws InterruptedException {
    ColonyServer server =
        ColonyServer.newBuilder().setHost("0.0.0.0").setPort(0).setInsecure(true).build().start();
    server.shutdownNow();
    assertTrue(server.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS));
  }
}
