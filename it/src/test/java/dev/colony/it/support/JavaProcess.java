package dev.colony.it.support;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A child JVM running a main class from the test classpath. Its stdout lines are captured (and
 * copied to {@code target/it-logs/<name>.out.log}), its stderr goes to {@code <name>.err.log}.
 * Always closed by try-with-resources; a JVM shutdown hook kills whatever a failed test left.
 */
public final class JavaProcess implements AutoCloseable {

  /** Small, fast-starting child JVMs: start-up dominates the cost of these tests. */
  public static final List<String> CHILD_JVM_OPTIONS =
      List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC");

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "colony-it-reaper"));
  }

  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final PrintWriter stdin;
  private final Thread pump;

  private JavaProcess(String name, Process process, Path outLog) {
    this.name = name;
    this.process = process;
    this.stdin =
        new PrintWriter(
            new BufferedWriter(
                new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)),
            true);
    this.pump = new Thread(() -> pumpStdout(outLog), "colony-it-stdout-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code mainClass} with {@code args} in a new JVM named {@code name} (for logs). */
  public static JavaProcess start(String name, Class<?> mainClass, String... args) {
    return start(name, mainClass.getName(), List.of(args));
  }

  /** Starts the class named {@code mainClassName} in a new JVM; see {@link #start}. */
  public static JavaProcess start(String name, String mainClassName, List<String> args) {
    return start(name, mainClassName, args, false);
  }

  /**
   * Starts the class named {@code mainClassName} in a new JVM; with {@code mergeStderr} its stderr
   * is read (and matched by {@link #awaitLine}) together with its stdout.
   */
  public static JavaProcess start(
      String name, String mainClassName, List<String> args, boolean mergeStderr) {
    return start(name, List.of(), mainClassName, args, mergeStderr);
  }

  /**
   * Starts {@code main} — a class name, or a {@code .java} source file that the launcher compiles —
   * with extra JVM options such as system properties.
   */
  public static JavaProcess start(
      String name, List<String> jvmOptions, String main, List<String> args, boolean mergeStderr) {
    return start(List.of(), name, jvmOptions, main, args, mergeStderr);
  }

  /**
   * Starts {@code main} as {@link #start(String, List, String, List, boolean)} does, with {@code
   * commandPrefix} before the {@code java} command: e.g. {@code ip netns exec NS}, which runs it in
   * a network namespace. The prefix must exec the JVM (not fork it), so that {@link #pid()}, {@link
   * #kill()} and {@link #pause} reach the JVM itself.
   */
  public static JavaProcess start(
      List<String> commandPrefix,
      String name,
      List<String> jvmOptions,
      String main,
      List<String> args,
      boolean mergeStderr) {
    String unique = name + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    String mainClassName = main;
    List<String> command = new ArrayList<>(commandPrefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(CHILD_JVM_OPTIONS);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClassName);
    command.addAll(args);
    try {
      Path logs = logDirectory();
      ProcessBuilder builder = new ProcessBuilder(command);
      if (mergeStderr) {
        builder.redirectErrorStream(true);
      } else {
        builder.redirectError(logs.resolve(unique + ".err.log").toFile());
      }
      Process process = builder.start();
      LIVE.add(process);
      return new JavaProcess(unique, process, logs.resolve(unique + ".out.log"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClassName, e);
    }
  }

  /**
   * Starts {@code command} (a script such as an unpacked distribution's {@code bin/colony}, which
   * execs its JVM) with exactly {@code environment} as its environment, stderr read with stdout;
   * captured, logged and reaped like any child JVM.
   */
  public static JavaProcess startCommand(
      String name, List<String> command, Map<String, String> environment) {
    String unique = name + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    try {
      Path logs = logDirectory();
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().clear();
      builder.environment().putAll(environment);
      Process process = builder.start();
      LIVE.add(process);
      return new JavaProcess(unique, process, logs.resolve(unique + ".out.log"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Where child logs go: {@code target/it-logs} of the module under test. */
  public static Path logDirectory() throws IOException {
    return Files.createDirectories(Path.of("target", "it-logs"));
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Writes one line to the child's stdin. */
  public void send(String line) {
    stdin.println(line);
  }

  /** The stdout lines seen so far. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /**
   * Returns the first stdout line (seen so far or yet to come) matching {@code match}; fails with
   * the output seen if none arrives within {@code timeout} or the process ends first.
   */
  public String awaitLine(Predicate<String> match, Duration timeout) throws TimeoutException {
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
        if (left <= 0 || (!pump.isAlive() && checked == lines.size())) {
          throw new TimeoutException(
              name + ": no matching line within " + timeout + " (alive=" + isAlive() + ")");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lines, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TimeoutException(name + ": interrupted");
        }
      }
    }
  }

  /** Returns the first line starting with {@code prefix}. */
  public String awaitLineStartingWith(String prefix, Duration timeout) throws TimeoutException {
    return awaitLine(line -> line.startsWith(prefix), timeout);
  }

  /** Waits for the process to exit and returns its exit code; fails if it is still running. */
  public int waitFor(Duration timeout) throws InterruptedException, TimeoutException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException(name + " still running after " + timeout);
    }
    pump.join(timeout.toMillis());
    LIVE.remove(process);
    return process.exitValue();
  }

  /** kill -9: the child gets no chance to close its session. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    LIVE.remove(process);
  }

  /** SIGTERM on Unix, without waiting: follow with {@link #waitFor} to read the exit code. */
  public void signalTerminate() {
    process.destroy();
  }

  /** Asks the child to stop (SIGTERM on Unix) and waits briefly, then kills it. */
  public void terminate(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    LIVE.remove(process);
  }

  @Override
  public void close() {
    stdin.close();
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LIVE.remove(process);
  }

  private void pumpStdout(Path outLog) {
    try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter log = Files.newBufferedWriter(outLog, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.write(line);
        log.newLine();
        log.flush();
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // The child was killed mid-line or the log is unwritable: what was read stays available.
    } finally {
      synchronized (lines) {
        lines.notifyAll();
      }
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
