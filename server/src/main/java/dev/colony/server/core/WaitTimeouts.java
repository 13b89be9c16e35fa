package dev.colony.server.core;

/**
 * The protocol's timeout rule for blocking calls: unset waits as long as it takes, 0 does not wait,
 * a positive value waits that many milliseconds, and a negative one is a bad request.
 */
final class WaitTimeouts {
  private WaitTimeouts() {}

  /** Throws INVALID_REQUEST for a negative timeout. */
  static void check(boolean hasTimeout, long timeoutMillis) {
    if (hasTimeout && timeoutMillis < 0) {
      throw CoreException.invalid(
          "timeout_ms must be 0 (do not wait) or positive, got " + timeoutMillis);
    }
  }

  /** A zero timeout: answer the not-served result at once instead of parking. */
  static boolean isNoWait(boolean hasTimeout, long timeoutMillis) {
    return hasTimeout && timeoutMillis == 0;
  }
}
