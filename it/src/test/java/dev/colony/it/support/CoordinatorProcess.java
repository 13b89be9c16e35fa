package dev.colony.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real coordinator JVM ({@code ColonyCommand coordinator --port 0}) on loopback. Its output is
 * drained to {@code target/it-logs}; {@link #close()} stops it.
 *
 * <p>One started by {@link #startDurable} keeps its state in a data directory and can be {@link
 * #kill() SIGKILLed} and {@link #restart() started again} on the same port and directory, so
 * clients and workers find it at the address they know.
 */
public final class CoordinatorProcess implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("Colony coordinator listening on (127\\.0\\.0\\.1):(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern DASHBOARD =
      Pattern.compile("Colony dashboard on (https?)://127\\.0\\.0\\.1:(\\d+)/");

  /** The failure line of a coordinator that could not bind its port (ListenOptions). */
  private static final String CANNOT_LISTEN = "colony coordinator: ";

  /** How long a restart keeps trying while the old port is still taken. */
  private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(30);

  private final Path dataDir;
  private final List<String> extraArgs;
  private final int port;
  private volatile JavaProcess process;
  private volatile int httpPort;
  private volatile String httpScheme;

  private CoordinatorProcess(Started started, Path dataDir, List<String> extraArgs) {
    this.process = started.process;
    this.port = started.port;
    this.httpPort = started.httpPort;
    this.httpScheme = started.httpScheme;
    this.dataDir = dataDir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts a coordinator (with {@code extraArgs} such as {@code --deadlock=fail}) and waits until
   * it prints the addresses it listens on.
   */
  public static CoordinatorProcess start(String... extraArgs) throws TimeoutException {
    Started started = launch(0, null, List.of(extraArgs));
    if (started == null) {
      throw new IllegalStateException("a coordinator on --port 0 could not listen");
    }
    return new CoordinatorProcess(started, null, List.of(extraArgs));
  }

  /**
   * Starts a coordinator that keeps its state in {@code dataDir} ({@code --data-dir}, plus {@code
   * extraArgs} such as {@code --sync batch}) on a free port, which {@link #restart()} reuses.
   */
  public static CoordinatorProcess startDurable(Path dataDir, String... extraArgs)
      throws TimeoutException {
    Started started = launch(0, dataDir, List.of(extraArgs));
    if (started == null) {
      throw new IllegalStateException("a coordinator on --port 0 could not listen");
    }
    return new CoordinatorProcess(started, dataDir, List.of(extraArgs));
  }

  /** kill -9 of the coordinator JVM: no shutdown, no goodbye to its clients. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  /**
   * Starts the coordinator again (killing it first if it still runs) on the same port and data
   * directory, and waits until it listens. While the port is still taken it tries again, for at
   * most {@link #REBIND_TIMEOUT}.
   */
  public void restart() throws TimeoutException, InterruptedException {
    if (dataDir == null) {
      throw new IllegalStateException("restart needs a coordinator started with startDurable");
    }
    if (process.isAlive()) {
      process.kill();
    }
    process.close();
    long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
    int attempts = 0;
    while (true) {
      attempts++;
      Started started = launch(port, dataDir, extraArgs);
      if (started != null) {
        if (started.port != port) {
          started.process.close();
          throw new IllegalStateException(
              "restarted coordinator listens on " + started.port + ", not " + port);
        }
        process = started.process;
        httpPort = started.httpPort;
        httpScheme = started.httpScheme;
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "port "
                + port
                + " still taken after "
                + attempts
                + " attempts within "
                + REBIND_TIMEOUT
                + " to restart the coordinator on "
                + dataDir);
      }
      Thread.sleep(200); // back off before binding again
    }
  }

  /** The data directory of a durable coordinator, else null. */
  public Path dataDir() {
    return dataDir;
  }

  private record Started(JavaProcess process, int port, String httpScheme, int httpPort) {}

  /**
   * Starts a coordinator JVM and waits for its addresses; null if it exited because it could not
   * listen on {@code port} (a fixed port may be briefly taken after a kill).
   */
  private static Started launch(int port, Path dataDir, List<String> extraArgs)
      throws TimeoutException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "coordinator",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--http-port",
                "0"));
    if (dataDir != null) {
      args.add("--data-dir");
      args.add(dataDir.toString());
    }
    args.addAll(extraArgs);
    JavaProcess process =
        JavaProcess.start("coordinator", "dev.colony.cli.ColonyCommand", args, true);
    try {
      String line =
          process.awaitLine(
              l -> LISTENING.matcher(l).find() || l.startsWith(CANNOT_LISTEN), START_TIMEOUT);
      if (line.startsWith(CANNOT_LISTEN)) {
        process.close();
        if (port != 0 && line.contains("another coordinator")) {
          return null;
        }
        throw new IllegalStateException("coordinator did not start: " + line);
      }
      Matcher m = LISTENING.matcher(line);
      m.find();
      String http = process.awaitLine(l -> DASHBOARD.matcher(l).find(), START_TIMEOUT);
      Matcher h = DASHBOARD.matcher(http);
      h.find();
      return new Started(
          process, Integer.parseInt(m.group(2)), h.group(1), Integer.parseInt(h.group(2)));
    } catch (TimeoutException | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /**
   * The dashboard's base URL as the coordinator printed it, e.g. {@code http://127.0.0.1:40123}
   * ({@code https://} when it serves TLS).
   */
  public String dashboard() {
    return httpScheme + "://127.0.0.1:" + httpPort;
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
