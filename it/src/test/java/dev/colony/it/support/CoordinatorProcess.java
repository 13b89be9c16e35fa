package dev.colony.it.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real coordinator JVM ({@code ColonyCommand coordinator --port 0}) on loopback. Its output is
 * drained to {@code target/it-logs}; {@link #close()} stops it.
 */
public final class CoordinatorProcess implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("Colony coordinator listening on (127\\.0\\.0\\.1):(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final JavaProcess process;
  private final int port;

  private CoordinatorProcess(JavaProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a coordinator and waits until it prints the address it listens on. */
  public static CoordinatorProcess start() throws TimeoutException {
    JavaProcess process =
        JavaProcess.start(
            "coordinator",
            "dev.colony.cli.ColonyCommand",
            List.of("coordinator", "--host", "127.0.0.1", "--port", "0", "--http-port", "0"),
            true);
    try {
      String line = process.awaitLine(l -> LISTENING.matcher(l).find(), START_TIMEOUT);
      Matcher m = LISTENING.matcher(line);
      m.find();
      return new CoordinatorProcess(process, Integer.parseInt(m.group(2)));
    } catch (TimeoutException | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The {@code host:port} clients connect to. */
  public String target() {
    return "127.0.0.1:" + port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the coordinator the way an operator does (SIGTERM), killing it if it lingers. */
  @Override
  public void close() {
    try {
      process.terminate(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      process.close();
    }
  }
}
