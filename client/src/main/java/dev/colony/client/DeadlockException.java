package dev.colony.client;

import dev.colony.proto.v1.ErrorReason;

/**
 * A lock or semaphore wait that would close a cycle of owners each waiting for the next (the
 * classic AB/BA deadlock). Thrown only when the coordinator runs with {@code --deadlock=fail}; it
 * fails the newest waiter of the cycle, and the message names every lock, holder, host and pid in
 * it. The caller holds nothing new: release what you hold and retry, or take locks in one order.
 */
public class DeadlockException extends ColonyException {
  public DeadlockException(String message) {
    super(Code.FAILED_PRECONDITION, ErrorReason.DEADLOCK, message);
  }
}
