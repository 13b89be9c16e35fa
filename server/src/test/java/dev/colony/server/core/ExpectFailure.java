package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;

/** Asserts that a call failed with an exact status code and reason. */
final class ExpectFailure {
  private ExpectFailure() {}

  static Failure of(CoreHarness.PendingCall call, CoreException.Code code, ErrorReason reason) {
    Failure failure = call.failure();
    assertEquals(reason, failure.getReason(), () -> "reason of " + failure);
    assertEquals(code.number, failure.getCode(), () -> "code of " + failure);
    return failure;
  }

  /** Limits like the defaults, with the bounds the data-object tests exercise set small. */
  static Limits limits(int maxPayloadBytes, int maxWaitersPerObject, long maxItemsPerContainer) {
    return Limits.defaults()
        .withMaxPayloadBytes(maxPayloadBytes)
        .withMaxWaitersPerObject(maxWaitersPerObject)
        .withMaxItemsPerContainer(maxItemsPerContainer);
  }
}
