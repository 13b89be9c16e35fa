package dev.colony.it.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client JVM running {@code dev.colony.it.apps.AgentApp}: tests send it scenario steps and read
 * their results, so one JVM serves a whole test class.
 */
public final class AgentProcess implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger STEP_IDS = new AtomicInteger();

  private final JavaProcess process;

  private AgentProcess(JavaProcess process) {
    this.process = process;
  }

  /** Starts an agent connected to {@code target} and waits until it has its session. */
  public static AgentProcess start(String name, String target) throws TimeoutException {
    JavaProcess process =
        JavaProcess.start(name, "dev.colony.it.apps.AgentApp", List.of(target), false);
    try {
      process.awaitLineStartingWith("READY", WAIT);
      return new AgentProcess(process);
    } catch (TimeoutException | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  /** Starts step {@code op args...} on a new thread of the agent and returns the step's id. */
  public String begin(String op, Object... args) {
    String id = "s" + STEP_IDS.incrementAndGet();
    StringBuilder line = new StringBuilder(id).append(' ').append(op);
    for (Object arg : args) {
      line.append(' ').append(arg);
    }
    process.send(line.toString());
    return id;
  }

  /** Waits for step {@code id}'s progress line {@code <id> <word> ...} and returns its words. */
  public String[] awaitProgress(String id, String word) throws TimeoutException {
    String prefix = id + " " + word;
    String line = process.awaitLine(l -> l.equals(prefix) || l.startsWith(prefix + " "), WAIT);
    return line.split(" ");
  }

  /** Waits for step {@code id} to finish and returns its result; a failed step fails the test. */
  public String awaitResult(String id) throws TimeoutException {
    return awaitResult(id, WAIT);
  }

  /** Like {@link #awaitResult(String)} with a caller-chosen bound. */
  public String awaitResult(String id, Duration timeout) throws TimeoutException {
    String line =
        process.awaitLine(l -> l.startsWith(id + " OK") || l.startsWith(id + " ERR"), timeout);
    if (line.startsWith(id + " ERR")) {
      throw new AssertionError(process.name() + " step " + id + " failed: " + line);
    }
    return line.substring((id + " OK").length()).trim();
  }

  /** Runs one step to its end. */
  public String call(String op, Object... args) throws TimeoutException {
    return awaitResult(begin(op, args));
  }

  @Override
  public void close() {
    process.close();
  }
}
