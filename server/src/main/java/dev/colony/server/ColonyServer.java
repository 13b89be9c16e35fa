package dev.colony.server;

import dev.colony.server.core.CoordinatorCore;
import dev.colony.server.core.Limits;
import dev.colony.server.core.Ticker;
import dev.colony.server.grpc.AdminGrpcService;
import dev.colony.server.grpc.SessionGrpcService;
import dev.colony.server.grpc.WorkerGrpcService;
import dev.colony.server.store.CommandLog;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator as an embeddable server: the core behind its gRPC services, plus health and
 * reflection. Lifecycle verbs follow {@link io.grpc.Server}.
 *
 * <pre>{@code
 * ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
 * int port = server.port();
 * server.shutdown();
 * server.awaitTermination(5, SECONDS);
 * }</pre>
 */
public final class ColonyServer {
  private static final Logger log = LoggerFactory.getLogger(ColonyServer.class);

  /** Where a coordinator listens unless told otherwise: loopback only (secure by default). */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public static final int DEFAULT_PORT = 7070;

  /** Room for the rest of a message around its payloads; gRPC's own default is the floor. */
  private static final int MIN_INBOUND_MESSAGE_BYTES = 4 << 20;

  private static final int MESSAGE_HEADROOM_BYTES = 64 << 10;

  private final Server server;
  private final CoordinatorCore core;
  private final HealthStatusManager health;
  private final TimerAlarm alarm;
  private final InetSocketAddress listenAddress;
  private final AtomicBoolean stoppedServing = new AtomicBoolean();

  @SuppressWarnings("deprecation") // ProtoReflectionService (v1alpha), kept for older tools
  private ColonyServer(
      ServerBuilder<?> builder,
      CoordinatorCore core,
      HealthStatusManager health,
      TimerAlarm alarm,
      InetSocketAddress listenAddress) {
    this.core = core;
    this.listenAddress = listenAddress;
    this.health = health;
    this.alarm = alarm;
    this.server =
        builder
            // Handlers never block: the core answers blocked calls later, from its own thread.
            .directExecutor()
            .maxInboundMessageSize(maxInboundMessageBytes(core.limits()))
            .addService(new SessionGrpcService(core).withSessionHeader())
            .addService(new WorkerGrpcService(core))
            .addService(new AdminGrpcService(core))
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance())
            // The v1alpha twin for tools that predate v1 (older grpcurl, Postman).
            .addService(ProtoReflectionService.newInstance())
            .build();
  }

  /** A coordinator with default limits listening on {@code host:port} (port 0 picks a free one). */
  public static ColonyServer forAddress(String host, int port) {
    return forAddress(host, port, Limits.defaults());
  }

  /** A coordinator with the given limits listening on {@code host:port}. */
  public static ColonyServer forAddress(String host, int port, Limits limits) {
    TimerAlarm alarm = new TimerAlarm();
    CoordinatorCore core = new CoordinatorCore(limits, Ticker.SYSTEM, CommandLog.inMemory(), alarm);
    InetSocketAddress address = new InetSocketAddress(host, port);
    ServerBuilder<?> builder =
        NettyServerBuilder.forAddress(address, InsecureServerCredentials.create());
    return new ColonyServer(builder, core, new HealthStatusManager(), alarm, address);
  }

  /**
   * Serves {@code core} on a server built from {@code builder}, for tests (e.g. an in-process
   * builder). The caller owns the core's alarm.
   */
  public static ColonyServer create(ServerBuilder<?> builder, CoordinatorCore core) {
    return new ColonyServer(builder, core, new HealthStatusManager(), null, null);
  }

  /**
   * Starts listening.
   *
   * @throws UncheckedIOException if the address cannot be bound; its cause is then a {@link
   *     BindException} naming the address and the operating system's reason
   */
  public ColonyServer start() {
    try {
      server.start();
    } catch (IOException e) {
      closeAlarm();
      throw new UncheckedIOException(bindFailure(e));
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    InetSocketAddress address = address();
    if (address != null) {
      log.info("coordinator listening on {}:{}", address.getHostString(), address.getPort());
    } else {
      log.info("coordinator listening on {}", server.getListenSockets());
    }
    return this;
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

  public CoordinatorCore core() {
    return core;
  }

  /** Stops accepting calls; calls and streams in progress may finish. */
  public ColonyServer shutdown() {
    stopServing();
    server.shutdown();
    return this;
  }

  /** Stops accepting calls and cancels those in progress. */
  public ColonyServer shutdownNow() {
    stopServing();
    server.shutdownNow();
    closeAlarm();
    return this;
  }

  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    boolean terminated = server.awaitTermination(timeout, unit);
    if (terminated) {
      closeAlarm();
    }
    return terminated;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
    closeAlarm();
  }

  public boolean isShutdown() {
    return server.isShutdown();
  }

  public boolean isTerminated() {
    return server.isTerminated();
  }

  /** Health checks answer NOT_SERVING from now on (once: gRPC warns on a second call). */
  private void stopServing() {
    if (stoppedServing.compareAndSet(false, true)) {
      health.enterTerminalState();
    }
  }

  private void closeAlarm() {
    if (alarm != null) {
      alarm.close();
    }
  }

  /**
   * Starting a server only binds, so its IOException is a bind failure; Netty's native transport
   * reports it with its own exception type, which is turned into the JDK's here.
   */
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

  static int maxInboundMessageBytes(Limits limits) {
    long wanted = (long) limits.maxPayloadBytes() + MESSAGE_HEADROOM_BYTES;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_INBOUND_MESSAGE_BYTES, wanted));
  }
}
