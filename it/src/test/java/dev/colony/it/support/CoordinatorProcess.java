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

  private static final Pattern DASHBOARD =
      Pattern.compile("Colony dashboard on http://127\\.0\\.0\\.1:(\\d+)/");

  private final JavaProcess process;
  private final int port;
  private final int httpPort;

  private CoordinatorProcess(JavaProcess process, int port, int httpPort) {
    this.process = process;
    this.port = port;
    this.httpPort = httpPort;
  }

  /**
   * Starts a coordinator (with {@code extraArgs} such as {@code --deadlock=fail}) and waits until
   * it prints the addresses it listens on.
   */
  public static CoordinatorProcess start(String... extraArgs) throws TimeoutException {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("coordinator", "--host", "127.0.0.1", "--port", "0", "--http-port", "0"));
    args.addAll(List.of(extraArgs));
    JavaProcess process =
        JavaProcess.start("coordinator", "dev.colony.cli.ColonyCommand", args, true);
    try {
      String line = process.awaitLine(l -> LISTENING.matcher(l).find(), START_TIMEOUT);
      Matcher m = LISTENING.matcher(line);
      m.find();
      String http = process.awaitLine(l -> DASHBOARD.matcher(l).find(), START_TIMEOUT);
      Matcher h = DASHBOARD.matcher(http);
      h.find();
      return new CoordinatorProcess(
          process, Integer.parseInt(m.group(2)), Integer.parseInt(h.group(1)));
    } catch (TimeoutException | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The dashboard's base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String dashboard() {
    return "http://127.0.0.1:" + httpPort;
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
