package dev.colony.cli;

import dev.colony.server.ColonyServer;
import dev.colony.server.InsecureAddressException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code colony local}: a coordinator and local workers in one process, for one machine. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs a coordinator and local workers in one process: a cluster in one command.",
      "Prints 'Colony local cluster on <host>:<port> with <n> workers' once every worker has"
          + " joined, then 'Colony dashboard on http://<host>:<http-port>/'; programs connect to that address (Colony.connect) and `colony status`"
          + " shows it. Workers run task classes from this process's classpath. Stops cleanly"
          + " (exit code 0) on SIGTERM or Ctrl-C: workers drain, then the coordinator stops."
    })
final class LocalCommand implements Callable<Integer> {
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Mixin ListenOptions listen;

  @Mixin PythonPortOptions python;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Worker daemons to start (default: one per spare core, here ${DEFAULT-VALUE}).")
  int workers = LocalCluster.defaultWorkers();

  @Option(
      names = "--coordinators",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Coordinators to run as one replicated group (3 survives losing one, 5 losing two):"
              + " the first on --port, the others on free ports, each keeping its log in"
              + " --data-dir/n<i> (without --data-dir, in a temporary directory removed on exit)."
              + " Default: ${DEFAULT-VALUE}.")
  int coordinators;

  @Option(
      names = "--slots",
      paramLabel = "N",
      defaultValue = "1",
      description = "Tasks each worker runs at the same time (default: ${DEFAULT-VALUE}).")
  int slots;

  @Option(
      names = "--allow-tasks",
      paramLabel = "PATTERN",
      defaultValue = LocalCluster.EXAMPLE_TASKS,
      description =
          "Task classes the workers run: a glob over class names (* within a package, ** across"
              + " packages) or regex:EXPR; may be repeated (default: Colony's examples,"
              + " ${DEFAULT-VALUE}).")
  List<String> allowTasks;

  @Override
  public Integer call() throws InterruptedException {
    listen.validate();
    if (workers < 0 || workers > 256) {
      throw new ParameterException(
          spec.commandLine(), "--workers must be between 0 and 256, got " + workers);
    }
    if (slots < 1 || slots > 10_000) {
      throw new ParameterException(
          spec.commandLine(), "--slots must be between 1 and 10000, got " + slots);
    }
    if (coordinators < 1 || coordinators > 7) {
      throw new ParameterException(
          spec.commandLine(), "--coordinators must be between 1 and 7, got " + coordinators);
    }
    LocalCluster cluster;
    try {
      cluster =
          coordinators == 1
              ? LocalCluster.start(
                  listen.serverBuilder(), listen.host, workers, slots, JOIN_TIMEOUT, allowTasks)
              : LocalCluster.startGroup(
                  i ->
                      i == 1
                          ? listen.serverBuilder()
                          : listen.serverBuilder().setPort(0).setHttpPort(ColonyServer.NO_HTTP),
                  coordinators,
                  listen.dataDir,
                  listen.host,
                  workers,
                  slots,
                  JOIN_TIMEOUT,
                  allowTasks);
    } catch (IOException e) {
      throw new CommandFailedException(
          ExitCodes.ERROR, "cannot prepare the coordinators' state: " + e.getMessage());
    } catch (InsecureAddressException e) {
      throw ListenOptions.refused(e);
    } catch (UncheckedIOException e) {
      throw new CommandFailedException(ExitCodes.ERROR, listen.cannotListen(e));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    dev.colony.python.PythonFrontDoor pythonDoor;
    try {
      pythonDoor = python.start(listen.host, cluster.port(), null, false);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    Runnable stop =
        () -> {
          if (pythonDoor != null) {
            pythonDoor.close();
          }
          cluster.close();
        };
    CountDownLatch stopRequested = new CountDownLatch(1);
    TerminationSignals.onTerminate(stopRequested::countDown);
    Thread hook = new Thread(stop, "colony-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Colony local cluster on "
            + cluster.address()
            + " with "
            + workers
            + (workers == 1 ? " worker" : " workers")
            + " ("
            + slots
            + (slots == 1 ? " slot" : " slots")
            + " each)"
            + (coordinators > 1 ? ", " + coordinators + " coordinators in one group" : ""));
    out.println("State " + cluster.server().storage());
    if (cluster.dashboardUrl() != null) {
      out.println("Colony dashboard on " + cluster.dashboardUrl());
    }
    if (pythonDoor != null) {
      String address = cluster.address();
      out.println(
          "Python managers on "
              + address.substring(0, address.lastIndexOf(':'))
              + ":"
              + pythonDoor.port());
    }
    out.println(
        "Connect with Colony.connect(\""
            + cluster.address()
            + "\"); see it with `colony status --coordinator "
            + cluster.address()
            + "`; Ctrl-C stops it.");
    out.flush();

    stopRequested.await();
    stop.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // The JVM is exiting for another reason; the hook finds the cluster already stopped.
    }
    return ExitCodes.OK;
  }
}
