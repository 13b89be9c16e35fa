package dev.colony.server;

import static dev.colony.server.grpc.MalformedRequests.answeredInvalidArgument;

import dev.colony.proto.v1.ClusterNodeInfo;
import dev.colony.server.auth.AccessTokens;
import dev.colony.server.core.CoordinatorCore;
import dev.colony.server.core.CoreOptions;
import dev.colony.server.core.Limits;
import dev.colony.server.grpc.AdminGrpcService;
import dev.colony.server.grpc.AuthInterceptor;
import dev.colony.server.grpc.LeaderOnlyInterceptor;
import dev.colony.server.grpc.SessionGrpcService;
import dev.colony.server.grpc.WorkerGrpcService;
import dev.colony.server.http.DashboardServer;
import dev.colony.server.loop.ApplyLoop;
import dev.colony.server.metrics.ColonyMetrics;
import dev.colony.server.store.CommandLog;
import dev.colony.server.store.RatisCommandLog;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator as an embeddable server: the core behind its gRPC services, plus health and
 * reflection, and optionally the HTTP dashboard with {@code /metrics}. Lifecycle verbs follow
 * {@link io.grpc.Server}.
 *
 * <pre>{@code
 * ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
 * int port = server.port();
 * server.shutdown();
 * server.awaitTermination(5, SECONDS);
 *
 * ColonyServer withDashboard =
 *     ColonyServer.newBuilder().setHost("127.0.0.1").setPort(0).setHttpPort(0).build().start();
 * int httpPort = withDashboard.httpPort();
 * }</pre>
 */
public final class ColonyServer {
  private static final Logger log = LoggerFactory.getLogger(ColonyServer.class);

  /** Where a coordinator listens unless told otherwise: loopback only (secure by default). */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public static final int DEFAULT_PORT = 7070;

  /** Where the `colony coordinator` command serves the dashboard unless told otherwise. */
  public static final int DEFAULT_HTTP_PORT = 7071;

  /**
   * How long a connection may carry no call before the coordinator closes it. Clients and workers
   * keep a stream open for as long as they live, so only a connection that never opened a session
   * (or is done with it) is idle: it cannot hold a socket forever.
   */
  public static final Duration DEFAULT_MAX_CONNECTION_IDLE = Duration.ofMinutes(2);

  /**
   * How long a new connection may take to finish its TLS and HTTP/2 handshake before the
   * coordinator closes it (gRPC's own default is two minutes): a client that connects and sends
   * nothing, or trickles its handshake, cannot hold a socket for long.
   */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** An HTTP port that means "no dashboard". */
  public static final int NO_HTTP = -1;

  /** {@link Builder#setHealthPort}: no separate health port (the default). */
  public static final int NO_HEALTH_PORT = -1;

  private final Server server;
  private final Server healthServer; // null unless a health port was asked for
  private final ApplyLoop loop;
  private final String nodeId; // null unless a member of a group
  private final HealthStatusManager health;
  private final InetSocketAddress listenAddress;
  private final ColonyMetrics metrics;
  private final int httpPort;
  private final AccessTokens tokens;
  private final boolean tls;
  private final DashboardServer.Https dashboardTls;
  private final AtomicBoolean stoppedServing = new AtomicBoolean();
  private volatile DashboardServer dashboard;
  private String storage = "custom command log";
  private boolean mutualTls;

  @SuppressWarnings("deprecation") // ProtoReflectionService (v1alpha), kept for older tools
  private ColonyServer(
      ServerBuilder<?> builder,
      ApplyLoop loop,
      String nodeId,
      HealthStatusManager health,
      Server healthServer,
      InetSocketAddress listenAddress,
      int httpPort,
      AccessTokens tokens,
      boolean tls,
      DashboardServer.Https dashboardTls) {
    this.healthServer = healthServer;
    this.loop = loop;
    this.nodeId = nodeId;
    this.tokens = tokens;
    this.tls = tls;
    this.dashboardTls = dashboardTls;
    this.listenAddress = listenAddress;
    this.health = health;
    this.httpPort = httpPort;
    this.metrics = new ColonyMetrics(loop);
    this.server =
        builder
            // Handlers never block: they hand commands to the apply loop, which answers later.
            .directExecutor()
            .maxInboundMessageSize(loop.limits().maxMessageBytes())
            // A member of a group that does not lead points the caller at the leader (runs after
            // the token check below: interceptors added later run first).
            .intercept(new LeaderOnlyInterceptor(loop))
            // Before any handler: a call without an acceptable token changes nothing.
            .intercept(new AuthInterceptor(tokens))
            .addService(
                answeredInvalidArgument(
                    new SessionGrpcService(loop, metrics.calls()).withSessionHeader()))
            .addService(answeredInvalidArgument(new WorkerGrpcService(loop).bindService()))
            .addService(answeredInvalidArgument(new AdminGrpcService(loop).bindService()))
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance())
            // The v1alpha twin for tools that predate v1 (older grpcurl, Postman).
            .addService(ProtoReflectionService.newInstance())
            .build();
  }

  /**
   * A coordinator with default limits listening on {@code host:port} (port 0 picks a free one),
   * without the HTTP dashboard.
   */
  public static ColonyServer forAddress(String host, int port) {
    return forAddress(host, port, Limits.defaults());
  }

  /** A coordinator with the given limits listening on {@code host:port}, without dashboard. */
  public static ColonyServer forAddress(String host, int port, Limits limits) {
    return newBuilder().setHost(host).setPort(port).setLimits(limits).build();
  }

  /** Everything configurable: address, dashboard port, limits and core options. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Serves the core behind {@code loop} on a server built from {@code builder}, for tests (e.g. an
   * in-process builder). No dashboard. {@link #start()} starts the loop too.
   */
  public static ColonyServer create(ServerBuilder<?> builder, ApplyLoop loop) {
    return create(builder, loop, AccessTokens.none());
  }

  /** {@link #create(ServerBuilder, ApplyLoop)} accepting only {@code tokens}. */
  public static ColonyServer create(ServerBuilder<?> builder, ApplyLoop loop, AccessTokens tokens) {
    return new ColonyServer(
        builder, loop, null, new HealthStatusManager(), null, null, NO_HTTP, tokens, false, null);
  }

  private ColonyServer describedAs(String storage) {
    this.storage = storage;
    return this;
  }

  private ColonyServer withMutualTls(boolean mutualTls) {
    this.mutualTls = mutualTls;
    return this;
  }

  /** Where the state is kept, in words: in memory, or the data directory and sync mode. */
  public String storage() {
    return storage;
  }

  /** Settings of a {@link ColonyServer}; every setter has a default. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int httpPort = NO_HTTP;
    private int healthPort = NO_HEALTH_PORT;
    private Limits limits = Limits.defaults();
    private CoreOptions coreOptions = CoreOptions.defaults();
    private CommandLog commandLog;
    private Path dataDir;
    private RatisCommandLog.SyncMode syncMode = RatisCommandLog.SyncMode.ALWAYS;
    private AccessTokens tokens = AccessTokens.none();
    private ServerTls tls;
    private boolean insecure;
    private Duration maxConnectionIdle = DEFAULT_MAX_CONNECTION_IDLE;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private String nodeId;
    private List<CommandLog.Member> peers = List.of();

    private Builder() {}

    /**
     * How long a new connection may take for its TLS and HTTP/2 handshake before it is closed
     * (default {@link #DEFAULT_HANDSHAKE_TIMEOUT}).
     */
    public Builder setHandshakeTimeout(Duration handshakeTimeout) {
      this.handshakeTimeout = handshakeTimeout;
      return this;
    }

    /**
     * How long a connection may carry no call before it is closed (default {@link
     * #DEFAULT_MAX_CONNECTION_IDLE}).
     */
    public Builder setMaxConnectionIdle(Duration maxConnectionIdle) {
      this.maxConnectionIdle = maxConnectionIdle;
      return this;
    }

    /**
     * The tokens callers must present, each with its role (default: none, every caller may do
     * everything: fine on loopback only). They guard the gRPC port and the dashboard alike.
     */
    public Builder setAccessTokens(AccessTokens tokens) {
      this.tokens = tokens;
      return this;
    }

    /**
     * Serves gRPC over TLS, or mutual TLS (default: plaintext); the dashboard then speaks HTTPS
     * with the same certificate, and with mutual TLS wants a client certificate too.
     */
    public Builder setTls(ServerTls tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Lets {@link #build()} bind an address other than loopback without tokens (default: false, it
     * refuses). For a network where every host that can reach the port is trusted.
     */
    public Builder setInsecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    /** Address to bind, for gRPC and the dashboard alike (default 127.0.0.1). */
    public Builder setHost(String host) {
      this.host = host;
      return this;
    }

    /** gRPC port (default 7070); 0 picks a free one. */
    public Builder setPort(int port) {
      this.port = port;
      return this;
    }

    /**
     * Dashboard port: 0 picks a free one, {@link #NO_HTTP} (the default here) serves none. The
     * `colony coordinator` command defaults to {@link #DEFAULT_HTTP_PORT}.
     */
    public Builder setHttpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    /**
     * Also serves grpc.health.v1, and nothing else, in plaintext on this port of the same host (0
     * picks a free one; {@link #NO_HEALTH_PORT}, the default, serves none): for probes that cannot
     * speak TLS or present a client certificate, such as Kubernetes' gRPC probes. It tells only
     * whether the coordinator serves, which the main port tells anyone without a token too.
     */
    public Builder setHealthPort(int healthPort) {
      this.healthPort = healthPort;
      return this;
    }

    public Builder setLimits(Limits limits) {
      this.limits = limits;
      return this;
    }

    /** Core behaviour, e.g. the deadlock policy (default: report). */
    public Builder setCoreOptions(CoreOptions coreOptions) {
      this.coreOptions = coreOptions;
      return this;
    }

    /**
     * Keeps the state in {@code dataDir} (created if missing), so a restart on the same directory
     * finds every session, object, item, lock and task as they were. Null (the default) keeps it in
     * memory only.
     */
    public Builder setDataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** When a durable coordinator acknowledges: after fsync (ALWAYS, the default) or before. */
    public Builder setSyncMode(RatisCommandLog.SyncMode syncMode) {
      this.syncMode = syncMode;
      return this;
    }

    /**
     * Makes this coordinator node {@code nodeId} of the replicated group {@code peers} (each with
     * its Raft address; this node's among them). Needs {@link #setDataDir}, a directory of its own.
     * Only the leader serves; the others point callers at it.
     */
    public Builder setGroup(String nodeId, List<CommandLog.Member> peers) {
      this.nodeId = nodeId;
      this.peers = List.copyOf(peers);
      return this;
    }

    /** Where commands are kept, overriding {@link #setDataDir}; for tests. */
    public Builder setCommandLog(CommandLog commandLog) {
      this.commandLog = commandLog;
      return this;
    }

    /**
     * @throws InsecureAddressException for an address other than loopback without tokens or mutual
     *     TLS, unless {@link #setInsecure insecure}
     * @throws UncheckedIOException if the TLS files cannot be used
     */
    public ColonyServer build() {
      boolean loopback = isLoopback(host);
      // Mutual TLS lets in only holders of a certificate the operator's CA signed: that is
      // authentication too, even if every holder may then do everything.
      boolean mutual = tls != null && tls.isMutual();
      if (!loopback && !tokens.isEnabled() && !mutual && !insecure) {
        throw new InsecureAddressException(host);
      }
      CommandLog commands = commandLog;
      String storage = "custom command log";
      if (commands == null && dataDir == null) {
        commands = CommandLog.inMemory();
        storage = "in memory (lost when the coordinator stops; --data-dir keeps it)";
      } else if (commands == null) {
        RatisCommandLog.Options log =
            RatisCommandLog.Options.defaults(dataDir).withSyncMode(syncMode);
        storage =
            "kept in " + dataDir + " (--sync " + syncMode.name().toLowerCase(Locale.ROOT) + ")";
        if (nodeId != null) {
          log = log.inGroup(nodeId, peers);
          storage += ", replicated: node " + nodeId + " of a group of " + peers.size();
        }
        commands = new RatisCommandLog(log);
      }
      if (nodeId != null && dataDir == null && commandLog == null) {
        throw new IllegalArgumentException(
            "a member of a group keeps its log in a data directory of its own: give it one");
      }
      ApplyLoop loop = new ApplyLoop(new CoordinatorCore(limits, coreOptions), commands);
      InetSocketAddress address = new InetSocketAddress(host, port);
      ServerCredentials credentials =
          tls == null ? InsecureServerCredentials.create() : tls.credentials();
      // Read now, so a key the JDK cannot use stops the start instead of the dashboard's first
      // request.
      DashboardServer.Https dashboardTls =
          tls == null || httpPort == NO_HTTP
              ? null
              : new DashboardServer.Https(tls.sslContext(), tls.isMutual());
      ServerBuilder<?> builder =
          NettyServerBuilder.forAddress(address, credentials)
              // Clients and workers ping every 3 s so a half-open connection is noticed in
              // seconds; the coordinator pings idle ones too, and drops those that do not answer.
              .permitKeepAliveTime(1, TimeUnit.SECONDS)
              .permitKeepAliveWithoutCalls(true)
              .keepAliveTime(20, TimeUnit.SECONDS)
              .keepAliveTimeout(10, TimeUnit.SECONDS)
              .maxConnectionIdle(maxConnectionIdle.toMillis(), TimeUnit.MILLISECONDS)
              .handshakeTimeout(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
      HealthStatusManager health = new HealthStatusManager();
      Server healthServer =
          healthPort == NO_HEALTH_PORT
              ? null
              : NettyServerBuilder.forAddress(
                      new InetSocketAddress(host, healthPort), InsecureServerCredentials.create())
                  .directExecutor()
                  // Probes connect, ask once and leave; nothing may hold this port for long.
                  .maxConnectionIdle(maxConnectionIdle.toMillis(), TimeUnit.MILLISECONDS)
                  .handshakeTimeout(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                  .addService(health.getHealthService())
                  .build();
      return new ColonyServer(
              builder,
              loop,
              nodeId,
              health,
              healthServer,
              address,
              httpPort,
              tokens,
              tls != null,
              dashboardTls)
          .describedAs(storage)
          .withMutualTls(mutual);
    }

    private static boolean isLoopback(String host) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        // Binding will fail and say so; it is not loopback either way.
        return false;
      }
    }
  }

  /**
   * Starts listening.
   *
   * @throws UncheckedIOException if the gRPC or the dashboard address cannot be bound; its cause is
   *     then a {@link BindException} naming the address and the operating system's reason
   */
  public ColonyServer start() {
    // The log replays before anyone can call: clients see the state as it was.
    loop.start();
    try {
      server.start();
    } catch (IOException e) {
      closeLoop();
      throw new UncheckedIOException(bindFailure(e));
    }
    if (healthServer != null) {
      try {
        healthServer.start();
      } catch (IOException e) {
        server.shutdownNow();
        closeLoop();
        throw new UncheckedIOException(
            new BindException(
                "cannot listen on "
                    + listenAddress.getHostString()
                    + " for health checks (--health-port): "
                    + rootMessage(e)));
      }
    }
    if (httpPort != NO_HTTP) {
      try {
        dashboard =
            DashboardServer.start(
                listenAddress.getHostString(), httpPort, loop, metrics, tokens, dashboardTls);
      } catch (UncheckedIOException e) {
        server.shutdownNow();
        if (healthServer != null) {
          healthServer.shutdownNow();
        }
        closeLoop();
        throw e;
      }
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    // A log that fails leaves the core behind what clients were told: stop serving at once, so
    // callers fail over (or retry against the restarted process) instead of waiting on a loop
    // that no longer applies anything.
    loop.failed().thenRun(this::shutdownNow);
    boolean exposed =
        listenAddress != null
            && (listenAddress.getAddress() == null
                || !listenAddress.getAddress().isLoopbackAddress());
    if (exposed && !tls) {
      log.warn(
          "listening beyond loopback without TLS: tokens and data cross the network in clear;"
              + " give the coordinator --tls-cert and --tls-key");
    }
    if (exposed && !tokens.isEnabled() && !mutualTls) {
      log.warn(
          "listening beyond loopback without tokens (--insecure): anyone who reaches it may"
              + " do anything");
    } else if (exposed && !tokens.isEnabled()) {
      log.info(
          "no tokens: every client with a certificate from --tls-client-ca may do everything;"
              + " give the coordinator tokens to tell their roles apart");
    }
    InetSocketAddress address = address();
    if (nodeId != null && address != null) {
      loop.announce(selfDescription(address));
    }
    if (address != null) {
      log.info(
          "coordinator listening on {}:{}; state {}",
          address.getHostString(),
          address.getPort(),
          storage);
    } else {
      log.info("coordinator listening on {}", server.getListenSockets());
    }
    return this;
  }

  /** What this member of a group tells the others about itself. */
  private ClusterNodeInfo selfDescription(InetSocketAddress address) {
    ClusterNodeInfo.Builder node =
        ClusterNodeInfo.newBuilder()
            .setId(nodeId)
            .setClientAddress(advertised(address))
            .setPid(ProcessHandle.current().pid());
    InetSocketAddress http = httpAddress();
    if (http != null) {
      node.setHttpAddress(advertised(http));
    }
    try {
      node.setHostName(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      // Only shown in status.
    }
    return node.build();
  }

  /**
   * Where others reach a bound address: the address itself, or for a wildcard bind (0.0.0.0) this
   * host's name, which the others can resolve.
   */
  private static String advertised(InetSocketAddress bound) {
    String host = bound.getHostString();
    if (bound.getAddress() != null && bound.getAddress().isAnyLocalAddress()) {
      try {
        host = InetAddress.getLocalHost().getCanonicalHostName();
      } catch (UnknownHostException e) {
        host = "127.0.0.1";
      }
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
  }

  /** The bound port, or -1 if the server is not listening on a TCP port (in-process tests). */
  public int port() {
    for (SocketAddress address : server.getListenSockets()) {
      if (address instanceof InetSocketAddress inet) {
        return inet.getPort();
      }
    }
    return -1;
  }

  /** The bound address, or null if the server is not listening on a TCP port. */
  public InetSocketAddress address() {
    for (SocketAddress address : server.getListenSockets()) {
      if (address instanceof InetSocketAddress inet) {
        return inet;
      }
    }
    return null;
  }

  /**
   * Completes with the error if the command log failed; the server has then stopped (health
   * NOT_SERVING, calls cancelled) and the process should exit and be restarted on its data dir.
   */
  public CompletableFuture<Throwable> failed() {
    return loop.failed();
  }

  /** The apply loop in front of the core: status, stats and reads for tools and tests. */
  public ApplyLoop loop() {
    return loop;
  }

  /** The coordinator's meters (calls, latency, core counts); {@code metrics().scrape()} renders. */
  public ColonyMetrics metrics() {
    return metrics;
  }

  /** The dashboard's bound port, or -1 if it serves none (or has not started). */
  public int httpPort() {
    DashboardServer current = dashboard;
    return current == null ? NO_HTTP : current.port();
  }

  /** "https" if the dashboard speaks TLS (the gRPC port does), else "http". */
  public String httpScheme() {
    return dashboardTls == null ? "http" : "https";
  }

  /** The dashboard's bound address, or null if it serves none. */
  public InetSocketAddress httpAddress() {
    DashboardServer current = dashboard;
    return current == null ? null : current.address();
  }

  /**
   * The bound port of the plaintext health port ({@link Builder#setHealthPort}), or {@link
   * #NO_HEALTH_PORT} if it serves none.
   */
  public int healthPort() {
    if (healthServer != null) {
      for (SocketAddress address : healthServer.getListenSockets()) {
        if (address instanceof InetSocketAddress inet) {
          return inet.getPort();
        }
      }
    }
    return NO_HEALTH_PORT;
  }

  /** Stops accepting calls; calls and streams in progress may finish. */
  public ColonyServer shutdown() {
    stopServing();
    server.shutdown();
    if (healthServer != null) {
      healthServer.shutdown();
    }
    return this;
  }

  /** Stops accepting calls and cancels those in progress. */
  public ColonyServer shutdownNow() {
    stopServing();
    server.shutdownNow();
    if (healthServer != null) {
      healthServer.shutdownNow();
    }
    closeLoop();
    return this;
  }

  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    boolean terminated = server.awaitTermination(timeout, unit);
    if (terminated && healthServer != null) {
      terminated =
          healthServer.awaitTermination(
              Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    if (terminated) {
      closeLoop();
    }
    return terminated;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
    if (healthServer != null) {
      healthServer.awaitTermination();
    }
    closeLoop();
  }

  public boolean isShutdown() {
    return server.isShutdown();
  }

  public boolean isTerminated() {
    return server.isTerminated() && (healthServer == null || healthServer.isTerminated());
  }

  /** Health checks answer NOT_SERVING from now on (once: gRPC warns on a second call). */
  private void stopServing() {
    if (stoppedServing.compareAndSet(false, true)) {
      health.enterTerminalState();
      DashboardServer current = dashboard;
      if (current != null) {
        current.stop();
      }
    }
  }

  private void closeLoop() {
    loop.close();
  }

  /**
   * Starting a server only binds, so its IOException is a bind failure; Netty's native transport
   * reports it with its own exception type, which is turned into the JDK's here.
   */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private IOException bindFailure(IOException e) {
    if (listenAddress == null) {
      return e;
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    BindException bind =
        new BindException(
            "cannot listen on "
                + listenAddress.getHostString()
                + ":"
                + listenAddress.getPort()
                + ": "
                + root.getMessage());
    bind.initCause(e);
    return bind;
  }
}
