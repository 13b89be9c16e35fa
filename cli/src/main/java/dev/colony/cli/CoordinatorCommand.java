package dev.colony.cli;

import dev.colony.server.ColonyServer;
import dev.colony.server.core.CoreOptions;
import dev.colony.server.core.DeadlockPolicy;
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
      "Runs the coordinator that hosts the shared objects and the task queue, in the foreground,"
          + " with a web dashboard and Prometheus metrics on a second port.",
      "Prints 'Colony coordinator listening on <host>:<port>' once it accepts connections, then"
          + " 'Colony dashboard on http://<host>:<http-port>/' (unless --no-http); stops cleanly"
          + " (exit code 0) on SIGTERM or Ctrl-C.",
      "HTTP routes: / the dashboard, /api/status the status as JSON, /metrics the Prometheus"
          + " text. gRPC health checking and server reflection are on the gRPC port."
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

  @Option(
      names = "--http-port",
      defaultValue = "" + ColonyServer.DEFAULT_HTTP_PORT,
      description =
          "Port of the dashboard and /metrics, on the same address as --host (default:"
              + " ${DEFAULT-VALUE}); 0 picks a free port, -1 serves none (like --no-http).")
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
          "When lock or semaphore waits form a cycle (session A holds 'a' and waits for 'b'"
              + " while B holds 'b' and waits for 'a'): 'report' (default) logs it and shows it"
              + " in status, the dashboard and the colony_deadlocks metric; 'fail' also fails the"
              + " wait that closed the cycle at once with FAILED_PRECONDITION / DEADLOCK (the"
              + " SDK's DeadlockException), naming the cycle, so the others can go on.")
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
    int dashboardPort = noHttp ? ColonyServer.NO_HTTP : httpPort;
    ColonyServer server;
    try {
      server =
          ColonyServer.newBuilder()
              .setHost(host)
              .setPort(port)
              .setHttpPort(dashboardPort)
              .setCoreOptions(CoreOptions.defaults().withDeadlockPolicy(deadlock))
              .build()
              .start();
    } catch (UncheckedIOException e) {
      return cannotListen(e);
    }
    Thread hook = new Thread(() -> stop(server), "colony-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    CountDownLatch stopRequested = new CountDownLatch(1);
    TerminationSignals.onTerminate(stopRequested::countDown);

    PrintWriter out = spec.commandLine().getOut();
    out.println("Colony coordinator listening on " + hostForDisplay() + ":" + server.port());
    if (server.httpPort() != ColonyServer.NO_HTTP) {
      out.println("Colony dashboard on http://" + hostForDisplay() + ":" + server.httpPort() + "/");
    }
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
            + "; is another coordinator running? Pick other ports with --port and --http-port"
            + " (0 picks a free one), --no-http, or check --host.");
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
