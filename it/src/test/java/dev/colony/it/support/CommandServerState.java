package dev.colony.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the pid from a command server's state file ("PORT SECRET PID"), for tests to clean up. */
public final class CommandServerState {
  private CommandServerState() {}

  /** The pid the state file names; empty if there is no such file (no server was started). */
  public static Optional<Long> pid(Path stateFile) {
    try {
      String[] words = Files.readString(stateFile).trim().split(" ");
      return Optional.of(Long.parseLong(words[2]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
