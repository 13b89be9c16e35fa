package dev.colony.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where one command runs: its environment variables and working directory. A command run in its own
 * JVM takes the process's; one run by the {@link CommandServer} takes its caller's, so a warm JVM
 * started from one shell serves another shell's {@code COLONY_COORDINATOR} and relative paths.
 */
record Invocation(Map<String, String> environment, Path workingDirectory) {
  Invocation {
    environment = Map.copyOf(environment);
    workingDirectory = workingDirectory.toAbsolutePath().normalize();
  }

  static Invocation ofThisProcess() {
    return new Invocation(System.getenv(), Path.of(""));
  }

  /** {@code path} as the caller meant it: relative to the caller's working directory. */
  Path resolve(String path) {
    return workingDirectory.resolve(path);
  }
}
