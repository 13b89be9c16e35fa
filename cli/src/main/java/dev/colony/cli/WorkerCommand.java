package dev.colony.cli;

import dev.colony.client.ColonyOptions;
import dev.colony.worker.WorkerDaemon;
import dev.colony.worker.WorkerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code colony worker}: a worker daemon in the foreground until SIGTERM or Ctrl-C. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs a worker daemon that pulls tasks from a coordinator, in the foreground.",
      "Prints 'Colony worker <id> connected to <host:port> with <n> slots' once it joined;"
          + " reconnects if the coordinator goes away. On SIGTERM or Ctrl-C it drains: takes no"
          + " new tasks, lets running ones finish within --drain-grace, hands the rest back to"
          + " the coordinator and exits with code 0. A task that calls System.exit counts a"
          + " failed attempt, and the worker exits with code 4."
    })
final class WorkerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

  @Spec CommandSpec spec;

  @Mixin CoordinatorOption coordinator;

  @Option(
      names = "--slots",
      paramLabel = "N",
      description = "Tasks run at the same time, 1 to 10000 (default: processors - 1, at least 1).")
  Integer slots;

  @Option(
      names = "--prefetch",
      paramLabel = "N",
      description =
          "Tasks taken beyond the free slots, 0 to 10000 (default: 0): they wait here and start as"
              + " slots come free, which speeds up many short tasks (a Pool.map of small items);"
              + " a task taken so waits behind this worker's running ones even if another worker"
              + " is idle.")
  int prefetch;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Shown in status and logs (default: <host>-<pid>).")
  String name;

  @Option(
      names = "--tasks",
      paramLabel = "PATH",
      description =
          "A jar, or a folder of jars, with task classes beyond the classpath; may be repeated.")
  List<Path> tasks = List.of();

  @Option(
      names = "--allow-tasks",
      paramLabel = "PATTERN",
      description =
          "Task classes this worker runs: a glob over class names (* within a package, ** across"
              + " packages, e.g. 'com.acme.tasks.**') or regex:EXPR; may be repeated. Default: the"
              + " classes of the --tasks jars only. Colony's own examples run only when allowed:"
              + " --allow-tasks '"
              + LocalCluster.EXAMPLE_TASKS
              + "'.")
  List<String> allowTasks = List.of();

  @Option(
      names = "--allow-code-from-clients",
      description =
          "Run tasks whose jar a client ships (PoolOptions.setCodeJar): fetched from the"
              + " coordinator by SHA-256 and loaded in a class loader per jar. Their classes run"
              + " whatever --allow-tasks says. Without it such tasks fail with CODE_NOT_ALLOWED.")
  boolean allowCodeFromClients;

  @Option(
      names = "--code-cache",
      paramLabel = "DIR",
      description =
          "Keep shipped jars in DIR across restarts (default: a temporary folder deleted when the"
              + " worker ends).")
  Path codeCache;

  @Option(
      names = "--virtual-threads",
      description = "Run each task on a virtual thread (needs Java 21 or newer).")
  boolean virtualThreads;

  @Option(
      names = "--drain-grace",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "How long running tasks may finish after SIGTERM before they are handed back"
              + " (default: ${DEFAULT-VALUE}).")
  Duration drainGrace;

  @Override
  public Integer call() throws InterruptedException {
    ColonyOptions connection = coordinator.connection();
    WorkerDaemon daemon = newDaemon(connection);
    PrintWriter out = spec.commandLine().getOut();
    daemon
        .joined()
        .thenAccept(
            id -> {
              out.println(
                  "Colony worker "
                      + id
                      + " connected to "
                      + connection.getTarget()
                      + " with "
                      + daemon.options().slots()
                      + " slots");
              out.flush();
            });
    Thread hook = new Thread(() -> stop(daemon), "colony-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    TerminationSignals.onTerminate(daemon::shutdown);
    daemon.start();

    while (!daemon.awaitTermination(1, TimeUnit.HOURS)) {
      // Runs until a signal drains it.
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // The JVM is exiting for another reason; the hook finds the worker already stopped.
    }
    return 0;
  }

  private WorkerDaemon newDaemon(ColonyOptions connection) {
    try {
      WorkerOptions.Builder options =
          WorkerOptions.newBuilder()
              .setCoordinator(connection.getTarget())
              .setToken(connection.getToken())
              .setTls(connection.getTls())
              .setVirtualThreads(virtualThreads)
              .setDrainGrace(drainGrace)
              .setAllowCodeFromClients(allowCodeFromClients)
              .setCodeCache(codeCache);
      if (slots != null) {
        options.setSlots(slots);
      }
      options.setPrefetch(prefetch);
      if (name != null) {
        options.setName(name);
      }
      tasks.forEach(options::addTaskJar);
      allowTasks.forEach(options::addAllowedTasks);
      if (tasks.isEmpty() && allowTasks.isEmpty() && !allowCodeFromClients) {
        log.warn(
            "this worker will refuse every task: give it --tasks JAR (their classes run) or"
                + " --allow-tasks PATTERN");
      }
      // The daemon checks the --tasks paths: better now, while the user is looking.
      return new WorkerDaemon(options.build());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * For exits that bypass the signal handler. A task calling System.exit is no request to stop: the
   * coordinator is told, so the task counts a failed attempt instead of being handed back to kill
   * the next worker, and the JVM ends with {@link ExitCodes#TASK_ENDED_WORKER} whatever code the
   * task gave, so a supervisor restarts the worker. Other exits drain within the grace period.
   */
  private void stop(WorkerDaemon daemon) {
    if (daemon.isTerminated()) {
      return;
    }
    Optional<String> culprit = daemon.taskEndingTheJvm();
    if (culprit.isPresent()) {
      log.error(
          "{}; this worker did not choose to stop: its running tasks count a failed attempt, and"
              + " it exits with code {}",
          culprit.get(),
          ExitCodes.TASK_ENDED_WORKER);
      daemon.abandon(culprit.get());
      Runtime.getRuntime().halt(ExitCodes.TASK_ENDED_WORKER);
    }
    daemon.shutdown();
    try {
      daemon.awaitTermination(drainGrace.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("worker stopped");
  }
}
