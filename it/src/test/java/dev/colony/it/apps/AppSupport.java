package dev.colony.it.apps;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import java.time.Duration;

/** What every client app shares: how it connects and how it reports on stdout. */
final class AppSupport {

  private AppSupport() {}

  static ColonyClient connect(String target, String clientName) {
    return Colony.connect(
        ColonyOptions.newBuilder().setTarget(target).setClientName(clientName).build());
  }

  static ColonyClient connect(String target, String clientName, Duration sessionTtl) {
    return Colony.connect(
        ColonyOptions.newBuilder()
            .setTarget(target)
            .setClientName(clientName)
            .setSessionTtl(sessionTtl)
            .build());
  }

  /** One whole line on stdout, never interleaved with another thread's. */
  static void report(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }

  /** Runs {@code app}; any failure is printed and ends the JVM with status 1. */
  static void run(ThrowingMain app) {
    try {
      app.run();
    } catch (Throwable t) {
      report("FAILED " + t);
      t.printStackTrace();
      System.exit(1);
    }
  }

  @FunctionalInterface
  interface ThrowingMain {
    void run() throws Exception;
  }
}
