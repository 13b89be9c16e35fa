package dev.colony.it.apps;

import dev.colony.client.ColonyClient;
import dev.colony.client.DeadlockException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.Lock;

/**
 * The classic AB/BA deadlock, one half of it. Args: target first second. Locks {@code first},
 * prints {@code HOLD}, waits for a line on stdin, prints {@code WAITING} and locks {@code second};
 * then prints {@code GOT} (or {@code DEADLOCK <message>} when the coordinator refuses the wait),
 * releases what it holds and prints {@code DONE}.
 */
public final class LockPairApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          try (ColonyClient client = AppSupport.connect(args[0], "lock-pair " + args[1])) {
            Lock first = client.lock(args[1]);
            Lock second = client.lock(args[2]);
            first.lock();
            try {
              AppSupport.report("HOLD");
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                  .readLine();
              AppSupport.report("WAITING");
              try {
                second.lock();
                AppSupport.report("GOT");
                second.unlock();
              } catch (DeadlockException e) {
                AppSupport.report("DEADLOCK " + e.getMessage());
              }
            } finally {
              first.unlock();
            }
            AppSupport.report("DONE");
          }
        });
  }
}
