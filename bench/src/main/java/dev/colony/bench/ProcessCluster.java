package dev.colony.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coordinator JVM ({@code <main> coordinator --host 127.0.0.1 --port 0 --no-http}) and worker
 * JVMs ({@code <main> worker --coordinator 127.0.0.1:<port> --slots N --prefetch N}: each takes as
 * many tasks again as it has slots, as Celery's workers do), children of this JVM, started from the
 * same java executable and classpath. {@code main} is {@code dev.colony.cli.ColonyCommand} for
 * {@code colony bench}.
 */
final class ProcessCluster implements BenchCluster {
  static final String COLONY_MAIN = "dev.colony.cli.ColonyCommand";

  /** The coordinator gets room for the queue rows; workers and clients stay small. */
  static final List<String> COORDINATOR_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g");

  static final List<String> WORKER_JVM_OPTIONS = List.of("-Xmx512m");

  private static final Pattern LISTENING =
      Pattern.compile("Colony coordinator listening on (\\S+):(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final ChildJvm coordinator;
  private final List<ChildJvm> workers;
  private final String target;

  private ProcessCluster(ChildJvm coordinator, List<ChildJvm> workers, String target) {
    this.coordinator = coordinator;
    this.workers = workers;
    this.target = target;
  }

  /** A factory that starts clusters with {@code mainClass} and logs into {@code logs}. */
  static Factory factory(String mainClass, Path logs) {
    return (workers, slots) -> start(mainClass, logs, workers, slots);
  }

  /** A coordinator child JVM and the {@code host:port} it said it listens on. */
  record Coordinator(ChildJvm jvm, String target) {}

  /**
   * Starts {@code <main> coordinator --host 127.0.0.1 --port 0 --no-http <extraArgs>} as child JVM
   * {@code name} and waits for its listening line (printed once it accepts calls, so after a
   * durable coordinator has replayed its state).
   */
  static Coordinator startCoordinator(
      String mainClass, Path logs, String name, List<String> extraArgs) throws TimeoutException {
    List<String> args =
        new ArrayList<>(List.of("coordinator", "--host", "127.0.0.1", "--port", "0", "--no-http"));
    args.addAll(extraArgs);
    ChildJvm coordinator = ChildJvm.start(name, COORDINATOR_JVM_OPTIONS, mainClass, args, logs);
    try {
      Matcher listening =
          LISTENING.matcher(coordinator.awaitLine(l -> LISTENING.matcher(l).find(), START_TIMEOUT));
      if (!listening.find()) {
        throw new IllegalStateException("unreadable coordinator line");
      }
      return new Coordinator(coordinator, listening.group(1) + ":" + listening.group(2));
    } catch (TimeoutException | RuntimeException e) {
      coordinator.close();
      throw e;
    }
  }

  static ProcessCluster start(String mainClass, Path logs, int workerCount, int slots)
      throws TimeoutException {
    Coordinator started = startCoordinator(mainClass, logs, "coordinator", List.of());
    ChildJvm coordinator = started.jvm();
    String target = started.target();
    List<ChildJvm> workers = new ArrayList<>();
    try {
      for (int i = 0; i < workerCount; i++) {
        workers.add(
            ChildJvm.start(
                "worker-" + (i + 1),
                WORKER_JVM_OPTIONS,
                mainClass,
                List.of(
                    "worker",
                    "--coordinator",
                    target,
                    "--slots",
                    Integer.toString(slots),
                    "--prefetch",
                    Integer.toString(slots),
                    "--name",
                    "bench-worker-" + (i + 1),
                    "--allow-tasks",
                    "dev.colony.bench.*"),
                logs));
      }
      for (ChildJvm worker : workers) {
        worker.awaitLine(
            l -> l.startsWith("Colony worker ") && l.contains(" connected to "), START_TIMEOUT);
      }
      return new ProcessCluster(coordinator, workers, target);
    } catch (TimeoutException | RuntimeException e) {
      workers.forEach(ChildJvm::close);
      coordinator.close();
      throw e;
    }
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public OptionalLong coordinatorPid() {
    return coordinator.isAlive() ? OptionalLong.of(coordinator.pid()) : OptionalLong.empty();
  }

  @Override
  public String describe() {
    return "coordinator JVM "
        + COORDINATOR_JVM_OPTIONS
        + " and "
        + workers.size()
        + " worker JVMs "
        + WORKER_JVM_OPTIONS
        + " on 127.0.0.1, children of the bench process (the client)";
  }

  @Override
  public void close() {
    workers.forEach(ChildJvm::close);
    coordinator.close();
  }
}
