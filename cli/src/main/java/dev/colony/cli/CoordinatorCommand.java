package dev.colony.cli;

import dev.colony.server.ColonyServer;
import dev.colony.server.InsecureAddressException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
          + " 'Colony dashboard on http://<host>:<http-port>/' (https:// with --tls-cert; none"
          + " with --no-http); stops cleanly"
          + " (exit code 0) on SIGTERM or Ctrl-C.",
      "HTTP routes: / the dashboard, /api/status the status as JSON, /metrics the Prometheus"
          + " text. gRPC health checking and server reflection are on the gRPC port."
    })
final class CoordinatorCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorCommand.class);

  /** How long calls and streams in progress get to finish before they are cancelled. */
  private static final long GRACE_SECONDS = 5;

  @Spec CommandSpec spec;

  @Mixin ListenOptions listen;

  @Mixin ServerSecurityOptions security;

  @Mixin PythonPortOptions python;

  @Mixin GroupOptions group;

  @Option(
      names = "--health-port",
      paramLabel = "PORT",
      defaultValue = "" + ColonyServer.NO_HEALTH_PORT,
      description =
          "Also serve gRPC health checks (grpc.health.v1, nothing else) in plaintext on this port"
              + " of --host, for probes that cannot speak TLS, such as Kubernetes' gRPC probes;"
              + " 0 picks a free port (default: none). It tells only whether the coordinator"
              + " serves.")
  int healthPort;

  @Override
  public Integer call() throws InterruptedException {
    listen.validate();
    if (healthPort < ColonyServer.NO_HEALTH_PORT || healthPort > 65_535) {
      throw new ParameterException(
          spec.commandLine(), "--health-port must be between 0 and 65535, got " + healthPort);
    }
    python.refuseTls(security.tlsCert != null);
    ColonyServer.Builder builder = group.applyTo(listen.serverBuilder(), listen.dataDir);
    ColonyServer server;
    try {
      server =
          security.applyTo(builder.setHealthPort(healthPort), python.requested()).build().start();
    } catch (InsecureAddressException e) {
      throw ListenOptions.refused(e);
    } catch (UncheckedIOException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("colony coordinator: " + listen.cannotListen(e));
      err.flush();
      return 1;
    }
    dev.colony.python.PythonFrontDoor pythonDoor;
    try {
      pythonDoor =
          python.start(
              listen.host, server.port(), security.internalClientToken, security.tlsCert != null);
    } catch (RuntimeException e) {
      stop(server);
      throw e;
    }
    Thread hook =
        new Thread(
            () -> {
              if (pythonDoor != null) {
                pythonDoor.close();
              }
              stop(server);
            },
            "colony-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    CountDownLatch stopRequested = new CountDownLatch(1);
    TerminationSignals.onTerminate(stopRequested::countDown);
    CompletableFuture<Throwable> logFailed = server.failed();
    logFailed.thenRun(stopRequested::countDown);

    PrintWriter out = spec.commandLine().getOut();
    out.println("Colony coordinator listening on " + hostForDisplay() + ":" + server.port());
    out.println("State " + server.storage());
    if (server.httpPort() != ColonyServer.NO_HTTP) {
      out.println(
          "Colony dashboard on "
              + server.httpScheme()
              + "://"
              + hostForDisplay()
              + ":"
              + server.httpPort()
              + "/");
    }
    if (pythonDoor != null) {
      out.println("Python managers on " + hostForDisplay() + ":" + pythonDoor.port());
    }
    if (server.healthPort() != ColonyServer.NO_HEALTH_PORT) {
      out.println("Health checks on " + hostForDisplay() + ":" + server.healthPort());
    }
    out.flush();

    stopRequested.await();
    if (pythonDoor != null) {
      pythonDoor.close();
    }
    stop(server);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyExiting) {
      // The JVM is exiting for another reason; the hook finds the server already stopped.
    }
    Throwable failure = logFailed.getNow(null);
    if (failure != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "colony coordinator: the command log failed ("
              + failure
              + "); stopped serving. Start it again on the same --data-dir: it replays what was"
              + " made durable.");
      err.flush();
      return ExitCodes.ERROR;
    }
    return 0;
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
    String host = listen.host;
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
