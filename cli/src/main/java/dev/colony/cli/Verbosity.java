package dev.colony.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code --verbose}: stack traces with errors, and gRPC's own warnings. Without it a command says
 * what went wrong in one line; gRPC's channel logs a stack trace through java.util.logging for
 * every address it fails to resolve, which a worker retrying through a DNS outage would repeat.
 */
final class Verbosity {
  // Held, because java.util.logging forgets the level of a logger nobody references.
  private static final Logger GRPC_CHANNEL =
      Logger.getLogger("io.grpc.internal.ManagedChannelImpl");

  private static volatile boolean verbose;

  private Verbosity() {}

  static boolean verbose() {
    return verbose;
  }

  static void set(boolean on) {
    verbose = on;
    GRPC_CHANNEL.setLevel(on ? null : Level.OFF);
  }
}
