package dev.colony.it.apps;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;

/**
 * Takes turns on a shared lock {@code turns} times: locks it, prints {@code TOKEN <n>} with the
 * fencing token it was granted, unlocks; then prints {@code DONE}. Args: target name turns.
 */
public final class FencedTurnsApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          int turns = Integer.parseInt(args[2]);
          try (ColonyClient client = AppSupport.connect(args[0], "fenced-turns")) {
            ColonyLock lock = client.lock(args[1]);
            for (int i = 0; i < turns; i++) {
              lock.lock();
              try {
                AppSupport.report("TOKEN " + lock.fencingToken());
              } finally {
                lock.unlock();
              }
            }
            AppSupport.report("DONE");
          }
        });
  }
}
