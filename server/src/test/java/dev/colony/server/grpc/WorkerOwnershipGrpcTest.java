package dev.colony.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.StatusRequest;
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
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over gRPC: a worker id resumes only on a stream with the token that registered it. */
class WorkerOwnershipGrpcTest {
  private static final String WORKER = "worker-token-0123456789";
  private static final String OTHER_WORKER = "other-worker-token-0123";
  private static final String ADMIN = "admin-token-0123456789a";

  @TempDir Path dir;
  private ColonyServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    Path tokens = dir.resolve("tokens");
    Files.writeString(
        tokens, "worker=" + WORKER + "\nworker=" + OTHER_WORKER + "\nadmin=" + ADMIN + "\n");
    ApplyLoop loop = new ApplyLoop(new CoordinatorCore(Limits.defaults()), CommandLog.inMemory());
    server =
        ColonyServer.create(
                InProcessServerBuilder.forName(name).directExecutor(),
                loop,
                AccessTokens.read(tokens))
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
  void resumingAWorkerWithAnotherToken_isPermissionDenied_andTheWorkerStaysConnected()
      throws Exception {
    Stream alice = new Stream(channel, WORKER);
    alice.frames.onNext(hello(""));
    String id = alice.next().getWelcome().getWorkerId();

    Stream mallory = new Stream(channel, OTHER_WORKER);
    mallory.frames.onNext(hello(id));
    StatusRuntimeException refused = mallory.awaitError();
    assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    assertEquals("NOT_WORKER_OWNER", reason(refused));
    assertTrue(refused.getStatus().getDescription().contains(id), refused::toString);

    assertFalse(alice.end.isDone(), "the registered worker's stream goes on");
    var workers =
        AdminServiceGrpc.newBlockingStub(channel)
            .withInterceptors(token(ADMIN))
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance())
            .getWorkersList();
    assertEquals(1, workers.size(), workers::toString);
    assertEquals(id, workers.get(0).getWorkerId());

    // The token that registered it may take its place again (say its stream broke).
    Stream again = new Stream(channel, WORKER);
    again.frames.onNext(hello(id));
    assertEquals(id, again.next().getWelcome().getWorkerId());
    again.frames.onCompleted();
  }

  static WorkerFrame hello(String resumeWorkerId) {
    return WorkerFrame.newBuilder()
        .setHello(
            WorkerHello.newBuilder()
                .setName("w")
                .setHost("h")
                .setPid(7)
                .setSlots(1)
                .setResumeWorkerId(resumeWorkerId))
        .build();
  }

  static String reason(StatusRuntimeException e) throws InvalidProtocolBufferException {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status != null) {
      for (Any detail : status.getDetailsList()) {
        if (detail.is(ErrorInfo.class)) {
          return detail.unpack(ErrorInfo.class).getReason();
        }
      }
    }
    return "no ErrorInfo in " + e;
  }

  private static io.grpc.ClientInterceptor token(String token) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  /** One worker stream: what the coordinator sends on it, and how it ended. */
  static final class Stream implements StreamObserver<CoordinatorFrame> {
    final StreamObserver<WorkerFrame> frames;
    final CompletableFuture<Void> end = new CompletableFuture<>();
    private final BlockingQueue<CoordinatorFrame> received = new LinkedBlockingQueue<>();

    Stream(ManagedChannel channel, String token) {
      WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel);
      frames = (token == null ? stub : stub.withInterceptors(token(token))).work(this);
    }

    @Override
    public void onNext(CoordinatorFrame frame) {
      received.add(frame);
    }

    @Override
    public void onError(Throwable t) {
      end.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      end.complete(null);
    }

    CoordinatorFrame next() throws InterruptedException {
      CoordinatorFrame frame = received.poll(10, TimeUnit.SECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within 10 s; stream ended: " + end);
      }
      return frame;
    }

    StatusRuntimeException awaitError() throws Exception {
      try {
        end.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return (StatusRuntimeException) e.getCause();
      }
      throw new AssertionError("the stream completed instead of failing");
    }
  }
}
