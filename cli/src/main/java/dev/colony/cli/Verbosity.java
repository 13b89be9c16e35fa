package dev.colony.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * gRPC's own warnings only with {@code --verbose} (the stack traces with errors are the reporters'
 * part): gRPC's channel logs a stack trace through java.util.logging for every address it fails to
 * resolve, which a worker retrying through a DNS outage would repeat.
 */
final class Verbosity {
  // Held, because java.util.logging forgets the level of a logger nobody references.
  private static final Logger GRPC_CHANNEL =
      Logger.getLogger("io.grpc.internal.ManagedChannelImpl");

  private Verbosity() {}

  static void set(boolean on) {
    GRPC_CHANNEL.setLevel(on ? null : Level.OFF);
  }
}
