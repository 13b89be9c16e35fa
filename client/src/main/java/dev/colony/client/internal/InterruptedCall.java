package dev.colony.client.internal;

import dev.colony.proto.v1.Reply;

/**
 * A blocking call was interrupted and withdrawn. If the coordinator served it before the withdrawal
 * arrived, {@link #served()} is that successful reply, which the proxy must undo (release the lock,
 * requeue the item, return the permits) before the interrupt reaches the user.
 */
final class InterruptedCall extends InterruptedException {
  private final transient Reply served;

  InterruptedCall(String what, Reply served) {
    super("interrupted while waiting for " + what);
    this.served = served;
  }

  /** The successful reply that raced the cancel, or null when the call was withdrawn. */
  Reply served() {
    return served;
  }
}
