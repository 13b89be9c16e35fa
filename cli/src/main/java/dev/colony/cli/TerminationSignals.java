package dev.colony.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a request to stop. The JVM's own handling would run shutdown hooks
 * and then exit with 128 + the signal number (143 for SIGTERM); a service that stops cleanly on
 * request should exit 0, so the command handles the signal itself and returns normally.
 */
final class TerminationSignals {
  private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);

  private TerminationSignals() {}

  /** Calls {@code onSignal} on SIGTERM or SIGINT; where signals are unsupported, does nothing. */
  static void onTerminate(Runnable onSignal) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              log.info("received SIG{}, shutting down", signal.getName());
              onSignal.run();
            });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // Not on this platform; the shutdown hook still stops the server, with the JVM's code.
        log.debug("cannot handle SIG{}: {}", name, e.toString());
      }
    }
  }
}
