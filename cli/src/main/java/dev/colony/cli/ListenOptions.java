package dev.colony.cli;

import dev.colony.server.ColonyServer;
import dev.colony.server.InsecureAddressException;
import dev.colony.server.core.CoreOptions;
import dev.colony.server.core.DeadlockPolicy;
import dev.colony.server.core.Limits;
import dev.colony.server.store.RatisCommandLog;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where a coordinator listens, where it keeps its state and what it does about deadlocks:
 * `coordinator` and `local`.
 */
final class ListenOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

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
      description = "Coordinator port (default: ${DEFAULT-VALUE}); 0 picks a free port.")
  int port;

  @Option(
      names = "--http-port",
      description =
          "Port of the dashboard and /metrics, on the same address as --host (default: "
              + ColonyServer.DEFAULT_HTTP_PORT
              + ", or a free port with --port 0); 0 picks a free port, -1 serves none (like"
              + " --no-http).")
  Integer httpPort;

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

  @Option(
      names = "--no-worker-warning",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long tasks may wait queued with no worker able to run them (none connected, or"
              + " all draining) before status, the dashboard and the SDK warn about it (default:"
              + " ${DEFAULT-VALUE}); 0 warns at once. Tasks still wait: a pool's noWorkerTimeout"
              + " is what fails them.")
  Duration noWorkerWarning;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keep the coordinator's state (sessions, objects, queued items, locks, tasks) in DIR,"
              + " created if missing, so a restart on the same DIR loses nothing. Without it the"
              + " state is in memory and a restart starts empty.")
  Path dataDir;

  @Option(
      names = "--sync",
      defaultValue = "always",
      paramLabel = "always|batch",
      description =
          "With --data-dir: 'always' (default) acknowledges a change only after it is on disk"
              + " (fsync), so a power cut loses nothing acknowledged; 'batch' acknowledges once"
              + " the operating system has it and syncs in the background: faster, and a power"
              + " cut (not a crash of the coordinator) can lose the last moments of changes.")
  RatisCommandLog.SyncMode sync;

  @Option(
      names = "--insecure",
      description =
          "Listen beyond loopback without tokens. Anyone who can reach the port may then do"
              + " anything: only for a network where every host is trusted.")
  boolean insecure;

  @Option(
      names = "--max-sessions-per-token",
      paramLabel = "N",
      defaultValue = "5000",
      description =
          "Sessions one token may have open at once (default: ${DEFAULT-VALUE}); more are"
              + " refused RESOURCE_EXHAUSTED.")
  int maxSessionsPerToken;

  @Option(
      names = "--max-sessions-per-address",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Sessions one client IP address may have open at once (default: ${DEFAULT-VALUE});"
              + " more are refused RESOURCE_EXHAUSTED.")
  int maxSessionsPerAddress;

  @Option(
      names = "--max-connection-idle",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description =
          "Close a connection that carries no call this long, e.g. 30s, 2m (default:"
              + " ${DEFAULT-VALUE}).")
  Duration maxConnectionIdle;

  @Option(
      names = "--max-lease",
      paramLabel = "DURATION",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description =
          "The longest lease a session may ask for: a client that dies holding locks keeps them"
              + " at most this long (default: ${DEFAULT-VALUE}).")
  Duration maxLease;

  @Option(
      names = "--max-container-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description =
          "Bytes one queue, map or list may store, e.g. 64MiB, 1GiB (default: half of"
              + " --max-stored-bytes); each item, key and value counts its encoded size plus 128"
              + " bytes. A put over it is refused RESOURCE_EXHAUSTED.")
  Long maxContainerBytes;

  @Option(
      names = "--max-code-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      defaultValue = "64MiB",
      description =
          "Bytes all jars shipped by clients (PoolOptions.setCodeJar) may take together (default:"
              + " ${DEFAULT-VALUE}); one jar may have at most 16 MiB and must fit in a message (4 MiB"
              + " by default). A new jar makes room by evicting jars no unfinished task names,"
              + " unused longest first; only if that is not enough is it refused"
              + " RESOURCE_EXHAUSTED.")
  long maxCodeBytes;

  @Option(
      names = "--max-stored-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description =
          "Bytes stored in all objects and tasks together; a put or submit over it is refused"
              + " RESOURCE_EXHAUSTED. Default: sized from the heap (-Xmx in COLONY_JAVA_OPTS), 40%%"
              + " of what is left after 256 MiB: 307 MiB with a 1 GiB heap. Set by hand, keep"
              + " 2 x (this + --max-retry-bytes) + 256 MiB within the heap.")
  Long maxStoredBytes;

  @Option(
      names = "--max-waiters-per-session",
      paramLabel = "N",
      defaultValue = "10000",
      description =
          "Calls one session may have blocked at once on all objects together (default:"
              + " ${DEFAULT-VALUE}); more are refused RESOURCE_EXHAUSTED.")
  int maxWaitersPerSession;

  @Option(
      names = "--max-retry-bytes-per-session",
      paramLabel = "SIZE",
      defaultValue = "4MiB",
      converter = ByteSizeConverter.class,
      description =
          "Bytes of past replies one session's retry cache keeps, so a call sent again after a"
              + " reconnect gets its first answer (default: ${DEFAULT-VALUE}; the newest reply is"
              + " always kept). A call sent again whose reply was forgotten is refused"
              + " RETRY_EXPIRED, never applied twice.")
  long maxRetryBytesPerSession;

  @Option(
      names = "--max-retry-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description =
          "Bytes of past replies all sessions' retry caches keep together (default: sized from"
              + " the heap, 10%% of what is left after 256 MiB: 77 MiB with a 1 GiB heap); past it"
              + " the largest cache forgets its oldest replies first.")
  Long maxRetryBytes;

  /** Throws a usage error for ports out of range. */
  void validate() {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(
          mixee.commandLine(), "--port must be between 0 and 65535, got " + port);
    }
    if (maxSessionsPerToken < 1 || maxSessionsPerAddress < 1) {
      throw new ParameterException(
          mixee.commandLine(),
          "--max-sessions-per-token and --max-sessions-per-address must be at least 1");
    }
    if (isBelowOne(maxContainerBytes) || isBelowOne(maxStoredBytes) || maxWaitersPerSession < 1) {
      throw new ParameterException(
          mixee.commandLine(),
          "--max-container-bytes, --max-stored-bytes and --max-waiters-per-session must be at"
              + " least 1");
    }
    if (maxRetryBytesPerSession < 1 || isBelowOne(maxRetryBytes)) {
      throw new ParameterException(
          mixee.commandLine(),
          "--max-retry-bytes-per-session and --max-retry-bytes must be at least 1");
    }
    if (maxLease.toMillis() < Limits.MIN_SESSION_TTL_MILLIS) {
      throw new ParameterException(mixee.commandLine(), "--max-lease must be at least 1s");
    }
    if (maxConnectionIdle.isNegative() || maxConnectionIdle.isZero()) {
      throw new ParameterException(
          mixee.commandLine(), "--max-connection-idle must be positive, e.g. 30s or 2m");
    }
    if (maxCodeBytes < 0) {
      throw new ParameterException(mixee.commandLine(), "--max-code-bytes must not be negative");
    }
    if (noWorkerWarning.isNegative()) {
      throw new ParameterException(mixee.commandLine(), "--no-worker-warning must not be negative");
    }
    if (httpPort != null && (httpPort < -1 || httpPort > 65_535)) {
      throw new ParameterException(
          mixee.commandLine(),
          "--http-port must be between 0 and 65535, or -1 for no dashboard, got " + httpPort);
    }
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ParameterException(
          mixee.commandLine(),
          "--host " + host + " is no address of this machine: unknown host " + host);
    }
  }

  /** A coordinator as these options say; the caller may set more before building. */
  ColonyServer.Builder serverBuilder() {
    return ColonyServer.newBuilder()
        .setHost(host)
        .setPort(port)
        .setHttpPort(dashboardPort())
        .setCoreOptions(coreOptions())
        .setDataDir(dataDir)
        .setSyncMode(sync)
        .setLimits(limits())
        .setMaxConnectionIdle(maxConnectionIdle)
        .setInsecure(insecure);
  }

  /** The limits these options give; byte bounds not given are sized from this JVM's heap. */
  Limits limits() {
    Limits sized = Limits.defaults().sizedForHeap(Runtime.getRuntime().maxMemory());
    long stored = maxStoredBytes != null ? maxStoredBytes : sized.maxStoredBytes();
    return sized
        .withMaxSessionsPerPrincipal(maxSessionsPerToken)
        .withMaxSessionsPerAddress(maxSessionsPerAddress)
        .withMaxSessionTtlMillis(maxLease.toMillis())
        .withMaxStoredBytes(stored)
        .withMaxBytesPerContainer(maxContainerBytes != null ? maxContainerBytes : stored / 2)
        .withMaxWaitersPerSession(maxWaitersPerSession)
        .withMaxRetryBytesPerSession(maxRetryBytesPerSession)
        .withMaxRetryBytes(maxRetryBytes != null ? maxRetryBytes : sized.maxRetryBytes());
  }

  private static boolean isBelowOne(Long bytes) {
    return bytes != null && bytes < 1;
  }

  /**
   * The dashboard's port. With {@code --port 0} (tests, several coordinators on one machine) a
   * fixed default would collide with the next coordinator's, so it is free too.
   */
  int dashboardPort() {
    if (noHttp) {
      return ColonyServer.NO_HTTP;
    }
    if (httpPort != null) {
      return httpPort;
    }
    return port == 0 ? 0 : ColonyServer.DEFAULT_HTTP_PORT;
  }

  CoreOptions coreOptions() {
    return CoreOptions.defaults()
        .withDeadlockPolicy(deadlock)
        .withNoWorkerWarningMillis(noWorkerWarning.toMillis())
        .withMaxCodeBytes(maxCodeBytes);
  }

  /** A coordinator that refuses its address for want of tokens: a usage error (exit 2). */
  static CommandFailedException refused(InsecureAddressException e) {
    return new CommandFailedException(ExitCodes.USAGE, e.getMessage());
  }

  /** One line for a coordinator that could not bind, saying what to try instead. */
  String cannotListen(UncheckedIOException e) {
    String reason =
        e.getCause() instanceof BindException bind
            ? bind.getMessage()
            : "cannot listen on "
                + host
                + ":"
                + port
                + ": "
                + (e.getCause() != null ? e.getCause() : e.getMessage());
    return reason
        + "; is another coordinator running? Pick other ports with --port and --http-port"
        + " (0 picks a free one), --no-http, or check --host.";
  }
}
