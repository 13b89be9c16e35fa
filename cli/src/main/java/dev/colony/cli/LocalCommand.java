package dev.colony.cli;

import dev.colony.server.ColonyServer;
import dev.colony.server.core.CoreOptions;
import dev.colony.server.core.DeadlockPolicy;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
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

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Worker daemons to start (default: one per spare core, here ${DEFAULT-VALUE}).")
  int workers = LocalCluster.defaultWorkers();

  @Option(
      names = "--slots",
      paramLabel = "N",
      defaultValue = "1",
      description = "Tasks each worker runs at the same time (default: ${DEFAULT-VALUE}).")
  int slots;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + ColonyServer.DEFAULT_PORT,
      description = "Coordinator port (default: ${DEFAULT-VALUE}); 0 picks a free port.")
  int port;

  @Option(
      names = "--http-port",
      defaultValue = "" + ColonyServer.DEFAULT_HTTP_PORT,
      description =
          "Port of the dashboard and /metrics (default: ${DEFAULT-VALUE}); 0 picks a free port,"
              + " -1 serves none (like --no-http).")
  int httpPort;

  @Option(
      names = "--no-http",
      description = "Serve no dashboard and no /metrics (same as --http-port -1).")
  boolean noHttp;

  @Option(
      names = "--deadlock",
      defaultValue = "report",
      paramLabel = "report|fail",
      description =
          "What the coordinator does about lock wait cycles, as `colony coordinator --deadlock`"
              + " (default: ${DEFAULT-VALUE}).")
  DeadlockPolicy deadlock;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535, got " + port);
    }
    if (httpPort < -1 || httpPort > 65_535) {
      throw new ParameterException(
          spec.commandLine(),
          "--http-port must be between 0 and 65535, or -1 for no dashboard, got " + httpPort);
    }
    if (workers < 0 || workers > 256) {
      throw new ParameterException(
          spec.commandLine(), "--workers must be between 0 and 256, got " + workers);
    }
    if (slots < 1 || slots > 10_000) {
      throw new ParameterException(
          spec.commandLine(), "--slots must be between 1 and 10000, got " + slots);
    }
    LocalCluster cluster;
    try {
      cluster =
          LocalCluster.start(
              host,
              port,
              noHttp ? ColonyServer.NO_HTTP : httpPort,
              CoreOptions.defaults().withDeadlockPolicy(deadlock),
              workers,
              slots,
              JOIN_TIMEOUT);
    } catch (UncheckedIOException e) {
      throw cannotListen(e);
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    TerminationSignals.onTerminate(stopRequested::countDown);
    Thread hook = new Thread(cluster::close, "colony-shutdown");
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
            + " each)");
    if (cluster.dashboardUrl() != null) {
      out.println("Colony dashboard on " + cluster.dashboardUrl());
    }
    out.println(
        "Connect with Colony.connect(\""
            + cluster.address()
            + "\"); see it with `colony status --coordinator "
            + cluster.address()
            + "`; Ctrl-C stops it.");
    out.flush();

    stopRequested.await();
    cluster.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // The JVM is exiting for another reason; the hook finds the cluster already stopped.
    }
    return ExitCodes.OK;
  }

  private CommandFailedException cannotListen(UncheckedIOException e) {
    String reason =
        e.getCause() instanceof BindException bind
            ? bind.getMessage()
            : "cannot listen on " + host + ":" + port + ": " + e.getCause();
    return new CommandFailedException(
        ExitCodes.ERROR,
        reason
            + "; is a coordinator running already? Pick other ports with --port and --http-port"
            + " (0 picks a free one) or --no-http");
  }
}
