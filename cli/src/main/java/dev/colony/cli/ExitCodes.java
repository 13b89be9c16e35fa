package dev.colony.cli;

/**
 * The exit codes of every colony command, in the tradition of grep and redis-cli scripts: success,
 * failure, usage error (picocli's own), and "nothing there" for reads that found nothing, so a
 * script can tell an empty queue from a broken coordinator.
 */
final class ExitCodes {
  static final int OK = 0;

  /** The command failed; the reason is on stderr. */
  static final int ERROR = 1;

  /** The command line was wrong (picocli's default for usage errors). */
  static final int USAGE = 2;

  /** A read found nothing: an empty queue, a missing map key, no object of that name. */
  static final int NOTHING = 3;

  /**
   * A worker's task ended its JVM ({@code System.exit}): the worker did not choose to stop, so a
   * supervisor ({@code Restart=on-failure}) starts it again.
   */
  static final int TASK_ENDED_WORKER = 4;

  /** Shown at the end of the help of the object commands. */
  static final String FOOTER =
      "%nExit codes: 0 done; 1 failed (the reason is on stderr); 2 bad command line;"
          + " 3 nothing there (empty queue, missing key or object), with nothing on stdout.";

  private ExitCodes() {}
}
