package dev.colony.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.server.store.CommandLog;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator over real TCP: loopback binding, health, reflection, the timer, shutdown. */
class ColonyServerTest {
  private ColonyServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    server = ColonyServer.forAddress("127.0.0.1", 0).start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.port(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void forAddress_loopback_bindsOnlyTheLoopbackAddress() throws Exception {
    InetSocketAddress bound = server.address();

    assertTrue(server.port() > 0);
    assertTrue(bound.getAddress().isLoopbackAddress(), () -> "bound to " + bound);
    Optional<InetAddress> external = nonLoopbackAddress();
    if (external.isPresent()) {
      try (Socket socket = new Socket()) {
        InetSocketAddress target = new InetSocketAddress(external.get(), server.port());
        assertThrows(
            IOException.class,
            () -> socket.connect(target, 2_000),
            () -> "the coordinator must not be reachable on " + target);
      }
    }
  }

  @Test
  void healthCheck_reportsServing() {
    var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);

    assertEquals(
        ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
  }

  @Test
  void reflection_listsTheSessionService() throws Exception {
    CompletableFuture<ServerReflectionResponse> response = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    response.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    response.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());

    List<String> services =
        response.get(5, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
            .map(ServiceResponse::getName)
            .toList();
    requests.onCompleted();
    assertTrue(services.contains("colony.v1.SessionService"), () -> "services: " + services);
  }

  @Test
  void sessionWithoutKeepAlive_expiresOnTheTimer() {
    String session =
        SessionServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .open(SessionOpenRequest.newBuilder().setTtlMs(1_000).build())
            .getSessionId();

    // Nothing calls tick: only the apply loop's own tick can end the session.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                server
                    .loop()
                    .read(core -> core.sessions().stream().noneMatch(s -> s.id().equals(session)))
                    .get(5, TimeUnit.SECONDS));
  }

  @Test
  void start_onAPortInUse_failsWithABindException() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ColonyServer second = ColonyServer.forAddress("127.0.0.1", taken.getLocalPort());

      UncheckedIOException e = assertThrows(UncheckedIOException.class, second::start);

      assertTrue(hasCause(e, BindException.class), () -> "cause chain of " + e);
    }
  }

  @Test
  void aLogThatFails_stopsTheServer_andTheCallFailsInsteadOfHanging() throws Exception {
    AtomicBoolean diskGone = new AtomicBoolean();
    CommandLog memory = CommandLog.inMemory();
    CommandLog failing =
        new CommandLog() {
          @Override
          public void open(Applier applier) throws IOException {
            memory.open(applier);
          }

          @Override
          public CompletableFuture<Void> append(ByteString batch) {
            return diskGone.get()
                ? CompletableFuture.failedFuture(new IOException("disk gone"))
                : memory.append(batch);
          }

          @Override
          public void close() {
            memory.close();
          }
        };
    ColonyServer failingServer =
        ColonyServer.newBuilder().setPort(0).setHttpPort(-1).setCommandLog(failing).build().start();
    ManagedChannel toFailing =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", failingServer.port(), InsecureChannelCredentials.create())
            .build();
    try {
      diskGone.set(true);

      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  SessionServiceGrpc.newBlockingStub(toFailing)
                      .withDeadlineAfter(30, TimeUnit.SECONDS)
                      .open(SessionOpenRequest.newBuilder().setTtlMs(10_000).build()));

      assertTrue(e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED, "the call ended: " + e);
      Throwable failure = failingServer.failed().get(30, TimeUnit.SECONDS);
      assertEquals("disk gone", failure.getMessage(), failure.toString());
      assertTrue(failingServer.awaitTermination(10, TimeUnit.SECONDS), "the server stopped");
    } finally {
      toFailing.shutdownNow();
      failingServer.shutdownNow();
    }
  }

  @Test
  void shutdown_stopsTheServer() throws Exception {
    server.shutdown();

    assertTrue(server.isShutdown());
    assertTrue(server.awaitTermination(5, TimeUnit.SECONDS));
    assertTrue(server.isTerminated());
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** An IPv4 address of this machine other than loopback, if it has one that is up. */
  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
