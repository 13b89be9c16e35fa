package dev.colony.cli;

import dev.colony.client.ClientConfig;

/**
 * A command that could not do its job for a reason the user can act on: {@link ErrorReporter}
 * prints the message as one line on stderr and the command exits with {@link #exitCode()}, without
 * a stack trace.
 */
final class CommandFailedException extends RuntimeException {
  private final int exitCode;

  CommandFailedException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** "cannot reach the coordinator at X within N s", with what to do about it. */
  static CommandFailedException unreachable(String target) {
    return new CommandFailedException(
        ExitCodes.ERROR,
        "cannot reach the coordinator at "
            + target
            + " within "
            + Connections.CONNECT_TIMEOUT.toSeconds()
            + " s; is `colony coordinator` running? (--coordinator or "
            + ClientConfig.COORDINATOR_ENVIRONMENT_VARIABLE
            + " names another)");
  }

  int exitCode() {
    return exitCode;
  }
}
