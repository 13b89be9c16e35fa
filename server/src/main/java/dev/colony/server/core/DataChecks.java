package dev.colony.server.core;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Payload;

/**
 * Size checks shared by the data objects (Value, Map, List). The transport checks payloads too, but
 * the core enforces its own limits so no path can grow state past them.
 */
final class DataChecks {
  private DataChecks() {}

  /** PAYLOAD_TOO_LARGE when {@code bytes} exceeds the coordinator's payload limit. */
  static void checkBytes(Limits limits, String what, long bytes) {
    if (bytes > limits.maxPayloadBytes()) {
      throw CoreException.exhausted(
          ErrorReason.PAYLOAD_TOO_LARGE,
          what
              + " is "
              + bytes
              + " bytes; the coordinator accepts at most "
              + limits.maxPayloadBytes()
              + " bytes per item");
    }
  }

  static void checkPayload(Limits limits, String what, Payload payload) {
    checkBytes(limits, what, payload.getData().size());
  }

  /** LIMIT_EXCEEDED when {@code adding} more items would take a container past its bound. */
  static void checkRoom(SharedObject container, Limits limits, long size, long adding) {
    if (adding > 0 && size + adding > limits.maxItemsPerContainer()) {
      throw CoreException.exhausted(
          ErrorReason.LIMIT_EXCEEDED,
          container.type()
              + " '"
              + container.name()
              + "' has "
              + size
              + " items; adding "
              + adding
              + " would pass the limit of "
              + limits.maxItemsPerContainer());
    }
  }
}
