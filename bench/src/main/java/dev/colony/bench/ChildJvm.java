package dev.colony.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A child JVM started from this JVM's own java executable and classpath. Its stdout is copied to
 * {@code <logs>/<name>.out.log} and kept in memory to be matched; stderr goes to {@code
 * <name>.err.log}. {@link #close()} stops it (SIGTERM, then kill after a grace period).
 */
final class ChildJvm implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread pump;

  private ChildJvm(String name, Process process, Path outLog) {
    this.name = name;
    this.process = process;
    this.pump = new Thread(() -> pumpStdout(outLog), "colony-bench-stdout-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code mainClass args...} with {@code jvmOptions}, logging into {@code logs}. */
  static ChildJvm start(
      String name, List<String> jvmOptions, String mainClass, List<String> args, Path logs) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(startupArchiveOptions());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    try {
      Files.createDirectories(logs);
      Process process =
          new ProcessBuilder(command)
              .redirectError(logs.resolve(name + ".err.log").toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      return new ChildJvm(name, process, logs.resolve(name + ".out.log"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /**
   * This JVM's class-data-sharing options (bin/colony passes the build's archive), so a child on
   * the same jar starts as a coordinator started by bin/colony does.
   */
  static List<String> startupArchiveOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-XX:SharedArchiveFile=") || a.startsWith("-Xlog:cds"))
        .toList();
  }

  /** The java executable running this JVM (the same JDK for every child). */
  static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The first stdout line (seen or yet to come) matching {@code match}.
   *
   * @throws TimeoutException if none comes within {@code timeout} or the process ends first
   */
  String awaitLine(Predicate<String> match, Duration timeout) throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      int checked = 0;
      while (true) {
        for (; checked < lines.size(); checked++) {
          if (match.test(lines.get(checked))) {
            return lines.get(checked);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !pump.isAlive()) {
          throw new TimeoutException(
              name
                  + ": no expected line within "
                  + timeout
                  + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                  + "; see its logs");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lines, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TimeoutException(name + ": interrupted while waiting for its output");
        }
      }
    }
  }

  /** Waits for the exit and returns the exit code. */
  int waitFor(Duration timeout) throws InterruptedException, TimeoutException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException(name + " still running after " + timeout);
    }
    pump.join(timeout.toMillis());
    return process.exitValue();
  }

  /** SIGKILL (no shutdown hooks, nothing flushed), then waits for the exit. */
  void kill() throws InterruptedException, TimeoutException {
    process.destroyForcibly();
    if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException(name + " still running " + STOP_GRACE + " after SIGKILL");
    }
  }

  /** SIGTERM, then kill -9 after a grace period. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void pumpStdout(Path outLog) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter log = new PrintWriter(Files.newBufferedWriter(outLog), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        log.println(line);
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // The process ended or its pipe broke; waiters see the pump gone.
    } finally {
      synchronized (lines) {
        lines.notifyAll();
      }
    }
  }
}
