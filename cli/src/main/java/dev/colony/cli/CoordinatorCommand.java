package dev.colony.cli;

import dev.colony.server.ColonyServer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code colony coordinator}: runs the coordinator in the foreground until SIGTERM or Ctrl-C. */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs the coordinator that hosts the shared objects, in the foreground.",
      "Prints 'Colony coordinator listening on <host>:<port>' once it accepts connections;"
          + " stops cleanly (exit code 0) on SIGTERM or Ctrl-C."
    })
final class CoordinatorCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorCommand.class);

  /** How long calls and streams in progress get to finish before they are cancelled. */
  private static final long GRACE_SECONDS = 5;

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = ColonyServer.DEFAULT_HOST,
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Anything else"
              + " exposes the coordinator to the network.")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + ColonyServer.DEFAULT_PORT,
      description = "Port to listen on (default: ${DEFAULT-VALUE}); 0 picks a free port.")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535, got " + port);
    }
    ColonyServer server;
    try {
      server = ColonyServer.forAddress(host, port).start();
    } catch (UncheckedIOException e) {
      return cannotListen(e);
    }
    Thread hook = new Thread(() -> stop(server), "colony-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    CountDownLatch stopRequested = new CountDownLatch(1);
    TerminationSignals.onTerminate(stopRequested::countDown);

    PrintWriter out = spec.commandLine().getOut();
    out.println("Colony coordinator listening on " + hostForDisplay() + ":" + server.port());
    out.flush();

    stopRequested.await();
    stop(server);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // The JVM is exiting for another reason; the hook finds the server already stopped.
    }
    return 0;
  }

  private int cannotListen(UncheckedIOException e) {
    String reason =
        e.getCause() instanceof BindException bind
            ? bind.getMessage()
            : "cannot listen on " + host + ":" + port + ": " + e.getCause();
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        "colony coordinator: "
            + reason
            + "; is another coordinator running? Pick another port with --port"
            + " (--port 0 picks a free one) or check --host.");
    err.flush();
    return 1;
  }

  /** Stops accepting calls, lets calls in progress finish for a while, then cancels the rest. */
  private static void stop(ColonyServer server) {
    if (server.isTerminated()) {
      return;
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
        log.info("calls still open after {} s; cancelling them", GRACE_SECONDS);
        server.shutdownNow();
        server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    log.info("coordinator stopped");
  }

  /** IPv6 literals in brackets, so that host:port can be split again. */
  private String hostForDisplay() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
