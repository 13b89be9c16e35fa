package dev.colony.server.grpc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.server.core.CoreException;
import dev.colony.server.core.Limits;
import org.junit.jupiter.api.Test;

/** The longest lease a session may ask for is the coordinator's to set. */
class MaxLeaseTest {
  private final CallValidator validator =
      new CallValidator(Limits.defaults().withMaxSessionTtlMillis(60_000));

  @Test
  void aLeaseUpToTheConfiguredMaximum_isAccepted() {
    assertDoesNotThrow(() -> validator.validateOpen(open(60_000)));
  }

  @Test
  void aLongerLease_isRefusedNamingTheMaximum() {
    CoreException refused =
        assertThrows(CoreException.class, () -> validator.validateOpen(open(60_001)));

    assertEquals(CoreException.Code.INVALID_ARGUMENT, refused.code());
    assertEquals(
        "ttl_ms must be 0 (the default, 10000 ms) or between 1000 and 60000 ms; got 60001",
        refused.getMessage());
  }

  private static SessionOpenRequest open(long ttlMillis) {
    return SessionOpenRequest.newBuilder().setTtlMs(ttlMillis).build();
  }
}
