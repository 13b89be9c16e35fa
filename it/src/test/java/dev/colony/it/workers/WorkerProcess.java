package dev.colony.it.workers;

import dev.colony.it.support.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real worker daemon JVM ({@code ColonyCommand worker --slots 2}) on the test classpath, so the
 * task classes of this package are on its classpath too. Its logs go to {@code target/it-logs}.
 */
public final class WorkerProcess implements AutoCloseable {

  public static final int SLOTS = 2;
  private static final Pattern CONNECTED =
      Pattern.compile("Colony worker (worker-\\d+) connected to (\\S+) with (\\d+) slots");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final JavaProcess process;
  private String workerId;

  private WorkerProcess(String name, JavaProcess process) {
    this.name = name;
    this.process = process;
  }

  /** Launches a worker; call {@link #awaitConnected()} before using it. */
  public static WorkerProcess launch(String name, String coordinator, String... extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "worker",
                "--coordinator",
                coordinator,
                "--slots",
                String.valueOf(SLOTS),
                "--name",
                name,
                "--allow-tasks",
                "dev.colony.it.**"));
    args.addAll(List.of(extraArgs));
    JavaProcess process =
        JavaProcess.start(name, List.of(), "dev.colony.cli.ColonyCommand", args, false);
    return new WorkerProcess(name, process);
  }

  /** Waits for the start-up line and returns this worker; closes the JVM if it never comes. */
  public WorkerProcess awaitConnected() throws TimeoutException {
    try {
      String line = process.awaitLine(l -> CONNECTED.matcher(l).find(), START_TIMEOUT);
      Matcher m = CONNECTED.matcher(line);
      m.find();
      workerId = m.group(1);
      return this;
    } catch (TimeoutException | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  /** The id the coordinator gave this worker (from its start-up line). */
  public String workerId() {
    if (workerId == null) {
      throw new IllegalStateException(name + " has not connected yet");
    }
    return workerId;
  }

  String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** kill -9: no drain, no goodbye; the coordinator sees the stream break. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  /** SIGTERM: the daemon drains; {@link #waitFor} then gives its exit code. */
  void signalTerminate() {
    process.signalTerminate();
  }

  int waitFor(Duration timeout) throws InterruptedException, TimeoutException {
    return process.waitFor(timeout);
  }

  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return name + "/" + workerId + "(pid " + process.pid() + ")";
  }
}
