package dev.colony.it.apps;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Locks {@code name} and prints {@code TOKEN <fencing token>}, then obeys commands on stdin, all on
 * the main thread that holds the lock: {@code CHECK} prints {@code HELD <isHeldByCurrentThread>
 * <fencing token or -1>}, {@code UNLOCK} unlocks and prints {@code UNLOCKED}, {@code EXIT} closes
 * the client. Args: target name.
 */
public final class LockHolderApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          try (ColonyClient client = AppSupport.connect(args[0], "lock-holder")) {
            ColonyLock lock = client.lock(args[1]);
            lock.lock();
            AppSupport.report("TOKEN " + lock.fencingToken());
            BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = in.readLine()) != null && !command.equals("EXIT")) {
              switch (command) {
                case "CHECK" -> {
                  boolean held = lock.isHeldByCurrentThread();
                  AppSupport.report("HELD " + held + " " + (held ? lock.fencingToken() : -1));
                }
                case "UNLOCK" -> {
                  lock.unlock();
                  AppSupport.report("UNLOCKED");
                }
                default -> throw new IllegalArgumentException("unknown command " + command);
              }
            }
          }
        });
  }
}
