package dev.colony.server.http;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.LockAcquireRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.SessionCloseRequest;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionOpenResponse;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.server.grpc.SessionIdInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A session over plain gRPC (SessionService Open and Execute), so the coordinator's HTTP side is
 * tested without the client SDK.
 */
final class RawClient implements AutoCloseable {
  private static final long LEASE_MS = 600_000; // outlives any test, blocked calls included

  final String sessionId;
  final String sessionLabel;
  private final ManagedChannel channel;
  private final SessionServiceGrpc.SessionServiceBlockingStub blocking;
  private final SessionServiceGrpc.SessionServiceStub async;

  RawClient(int port, String clientName) {
    channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
            .build();
    SessionOpenResponse opened =
        SessionServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .open(
                SessionOpenRequest.newBuilder()
                    .setClientName(clientName)
                    .setHost("test-host")
                    .setPid(ProcessHandle.current().pid())
                    .setTtlMs(LEASE_MS)
                    .build());
    sessionId = opened.getSessionId();
    sessionLabel = opened.getSessionLabel();
    Metadata headers = new Metadata();
    headers.put(SessionIdInterceptor.SESSION_ID_HEADER, sessionId);
    blocking =
        SessionServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    async =
        SessionServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  Reply execute(Call.Builder call) {
    return blocking.withDeadlineAfter(10, TimeUnit.SECONDS).execute(call.build());
  }

  /** A call that may block on the coordinator; completes with its reply. */
  CompletableFuture<Reply> start(Call.Builder call) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    async.execute(
        call.build(),
        new StreamObserver<>() {
          @Override
          public void onNext(Reply value) {
            reply.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            reply.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    return reply;
  }

  void create(String name, ObjectType type) {
    execute(
        Call.newBuilder()
            .setObjectCreate(ObjectCreateRequest.newBuilder().setName(name).setType(type)));
  }

  void put(String queue, String item) {
    execute(
        Call.newBuilder()
            .setQueuePut(
                QueuePutRequest.newBuilder()
                    .setName(queue)
                    .setItem(
                        Payload.newBuilder()
                            .setCodec("string")
                            .setData(com.google.protobuf.ByteString.copyFromUtf8(item)))));
  }

  /** A worker's stream on this client's channel: what it sends, given where frames come in. */
  StreamObserver<WorkerFrame> work(StreamObserver<CoordinatorFrame> frames) {
    return WorkerServiceGrpc.newStub(channel).work(frames);
  }

  static Call.Builder acquire(String lock, long thread) {
    return Call.newBuilder()
        .setLockAcquire(LockAcquireRequest.newBuilder().setName(lock).setThreadId(thread));
  }

  /** Ends the session, releasing what it holds. */
  void closeSession() {
    blocking
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .close(SessionCloseRequest.newBuilder().setSessionId(sessionId).build());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
