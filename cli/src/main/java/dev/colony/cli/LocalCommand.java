package dev.colony.cli;

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
          + " joined; programs connect to that address (Colony.connect) and `colony status`"
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
      defaultValue = "7070",
      description = "Coordinator port (default: ${DEFAULT-VALUE}); 0 picks a free port.")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535, got " + port);
    }
    if (workers < 0 || workers > 256) {
      throw new ParameterException(
          spec.commandLine(), "--workers must be between 0 and 256, got " + workers);
    }
    if (slots < 1 || slots > 10_000) {
      throw new ParameterException(
          spec.commandLine(), "--slots must be between 1 and 10000, got " + slots);
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    TerminationSignals.onTerminate(stopRequested::countDown);
    LocalCluster cluster;
    try {
      cluster = LocalCluster.start(host, port, workers, slots, JOIN_TIMEOUT);
    } catch (UncheckedIOException e) {
      throw cannotListen(e);
    }
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
            + "; is a coordinator running already? Pick another port with --port (0 picks a"
            + " free one)");
  }
}
