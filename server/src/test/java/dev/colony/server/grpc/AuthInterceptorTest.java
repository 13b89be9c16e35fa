package dev.colony.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.proto.v1.SessionCloseRequest;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.ValueGetRequest;
import dev.colony.proto.v1.ValueSetRequest;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.server.ColonyServer;
import dev.colony.server.auth.AccessTokens;
import dev.colony.server.core.CoordinatorCore;
import dev.colony.server.core.Limits;
import dev.colony.server.loop.ApplyLoop;
import dev.colony.server.store.CommandLog;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens and roles on every gRPC call, and sessions that belong to the token that opened them. */
class AuthInterceptorTest {
  private static final String CLIENT = "client-token-0123456789";
  private static final String OTHER_CLIENT = "other-client-token-0123";
  private static final String WORKER = "worker-token-0123456789";
  private static final String READ = "read-token-0123456789ab";
  private static final String ADMIN = "admin-token-0123456789a";

  private ColonyServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    String name = InProcessServerBuilder.generateName();
    AccessTokens tokens =
        AccessTokens.read(
            writeTokens(
                "client="
                    + CLIENT
                    + "\nclient="
                    + OTHER_CLIENT
                    + "\nworker="
                    + WORKER
                    + "\nread="
                    + READ
                    + "\nadmin="
                    + ADMIN
                    + "\n"));
    ApplyLoop loop = new ApplyLoop(new CoordinatorCore(Limits.defaults()), CommandLog.inMemory());
    server =
        ColonyServer.create(InProcessServerBuilder.forName(name).directExecutor(), loop, tokens)
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void missingOrWrongToken_isUnauthenticated_andChangesNothing() {
    String session = open(CLIENT);
    execute(CLIENT, session, createValue());
    execute(CLIENT, session, setValue(1));

    var missing =
        assertThrows(StatusRuntimeException.class, () -> execute(null, session, setValue(2)));
    assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
    var wrong =
        assertThrows(
            StatusRuntimeException.class,
            () -> execute("wrong-token-0123456789", session, setValue(3)));
    assertEquals(Status.Code.UNAUTHENTICATED, wrong.getStatus().getCode());
    assertEquals(
        Status.Code.UNAUTHENTICATED,
        assertThrows(StatusRuntimeException.class, () -> open(null)).getStatus().getCode());

    assertEquals(
        1,
        execute(
                CLIENT,
                session,
                Call.newBuilder().setValueGet(ValueGetRequest.newBuilder().setName("v")))
            .getValueGet()
            .getValue()
            .getLongValue());
  }

  @Test
  void workerToken_onAdminCall_isPermissionDenied() {
    var denied =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                AdminServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(token(WORKER))
                    .status(StatusRequest.getDefaultInstance()));
    assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
    // The read and admin tokens may.
    AdminServiceGrpc.newBlockingStub(channel)
        .withInterceptors(token(READ))
        .status(StatusRequest.getDefaultInstance());
    AdminServiceGrpc.newBlockingStub(channel)
        .withInterceptors(token(ADMIN))
        .status(StatusRequest.getDefaultInstance());
  }

  @Test
  void readToken_cannotOpenASession() {
    assertEquals(
        Status.Code.PERMISSION_DENIED,
        assertThrows(StatusRuntimeException.class, () -> open(READ)).getStatus().getCode());
  }

  @Test
  void clientToken_onWorkerRegistration_isPermissionDenied() throws Exception {
    CompletableFuture<Status> ended = new CompletableFuture<>();
    StreamObserver<WorkerFrame> frames =
        WorkerServiceGrpc.newStub(channel)
            .withInterceptors(token(CLIENT))
            .work(
                new StreamObserver<>() {
                  @Override
                  public void onNext(CoordinatorFrame frame) {
                    ended.completeExceptionally(new AssertionError("welcomed: " + frame));
                  }

                  @Override
                  public void onError(Throwable t) {
                    ended.complete(Status.fromThrowable(t));
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(Status.OK);
                  }
                });
    frames.onNext(
        WorkerFrame.newBuilder()
            .setHello(WorkerHello.newBuilder().setName("fake").setSlots(1))
            .build());
    assertEquals(Status.Code.PERMISSION_DENIED, ended.get(5, TimeUnit.SECONDS).getCode());
    frames.onCompleted();
  }

  @Test
  void anotherTokensSessionId_isPermissionDenied_onExecuteConnectAndClose() throws Exception {
    String alice = open(CLIENT);
    execute(CLIENT, alice, createValue());

    var execute =
        assertThrows(StatusRuntimeException.class, () -> execute(OTHER_CLIENT, alice, setValue(9)));
    assertEquals(Status.Code.PERMISSION_DENIED, execute.getStatus().getCode());

    CompletableFuture<Status> connect = new CompletableFuture<>();
    StreamObserver<ClientFrame> stream =
        SessionServiceGrpc.newStub(channel)
            .withInterceptors(token(OTHER_CLIENT), session(alice))
            .connect(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerFrame frame) {}

                  @Override
                  public void onError(Throwable t) {
                    connect.complete(Status.fromThrowable(t));
                  }

                  @Override
                  public void onCompleted() {
                    connect.complete(Status.OK);
                  }
                });
    assertEquals(Status.Code.PERMISSION_DENIED, connect.get(5, TimeUnit.SECONDS).getCode());
    stream.onCompleted();

    var close =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                sessions(OTHER_CLIENT)
                    .close(SessionCloseRequest.newBuilder().setSessionId(alice).build()));
    assertEquals(Status.Code.PERMISSION_DENIED, close.getStatus().getCode());
    // Alice's session is untouched; an admin may close it.
    execute(CLIENT, alice, setValue(4));
    sessions(ADMIN).close(SessionCloseRequest.newBuilder().setSessionId(alice).build());
    assertEquals(
        Status.Code.NOT_FOUND,
        assertThrows(StatusRuntimeException.class, () -> execute(CLIENT, alice, setValue(5)))
            .getStatus()
            .getCode());
  }

  @Test
  void healthChecks_needNoToken() {
    assertEquals(
        HealthCheckResponse.ServingStatus.SERVING,
        HealthGrpc.newBlockingStub(channel)
            .check(HealthCheckRequest.getDefaultInstance())
            .getStatus());
  }

  private String open(String token) {
    return sessions(token)
        .open(SessionOpenRequest.newBuilder().setClientName("test").build())
        .getSessionId();
  }

  private dev.colony.proto.v1.Reply execute(String token, String sessionId, Call.Builder call) {
    return sessions(token).withInterceptors(session(sessionId)).execute(call.build());
  }

  private SessionServiceGrpc.SessionServiceBlockingStub sessions(String token) {
    SessionServiceGrpc.SessionServiceBlockingStub stub =
        SessionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    return token == null ? stub : stub.withInterceptors(token(token));
  }

  private static io.grpc.ClientInterceptor token(String token) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private static io.grpc.ClientInterceptor session(String sessionId) {
    Metadata headers = new Metadata();
    headers.put(SessionIdInterceptor.SESSION_ID_HEADER, sessionId);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private static Call.Builder createValue() {
    return Call.newBuilder()
        .setObjectCreate(ObjectCreateRequest.newBuilder().setName("v").setType(ObjectType.VALUE));
  }

  private static Call.Builder setValue(long value) {
    return Call.newBuilder()
        .setValueSet(ValueSetRequest.newBuilder().setName("v").setValue(longValue(value)));
  }

  private static dev.colony.proto.v1.Scalar longValue(long value) {
    return dev.colony.proto.v1.Scalar.newBuilder().setLongValue(value).build();
  }

  private static java.nio.file.Path writeTokens(String content) {
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("colony-tokens", ".txt");
      file.toFile().deleteOnExit();
      return java.nio.file.Files.writeString(file, content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
