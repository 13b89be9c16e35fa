package dev.colony.cli;

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

  /** "cannot reach the coordinator at X", with what to do about it. */
  static CommandFailedException unreachable(String target) {
    return new CommandFailedException(
        ExitCodes.ERROR,
        "cannot reach the coordinator at "
            + target
            + ": start one with `colony coordinator` or pass --coordinator");
  }

  int exitCode() {
    return exitCode;
  }
}
