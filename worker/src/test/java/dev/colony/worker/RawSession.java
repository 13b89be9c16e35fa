package dev.colony.worker;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.proto.v1.TaskCancelRequest;
import dev.colony.proto.v1.TaskInfoRequest;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskWaitRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A submitter speaking the session protocol directly (Open, then Call frames on Connect), so the
 * worker is tested against the coordinator without the SDK's Pool.
 */
final class RawSession implements AutoCloseable {
  private static final Metadata.Key<String> SESSION_HEADER =
      Metadata.Key.of("colony-session-id", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final StreamObserver<ClientFrame> calls;
  private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);

  RawSession(int port) {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    String sessionId =
        SessionServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .open(SessionOpenRequest.newBuilder().setClientName("raw-submitter").build())
            .getSessionId();
    Metadata header = new Metadata();
    header.put(SESSION_HEADER, sessionId);
    calls =
        SessionServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header))
            .connect(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerFrame frame) {
                    List<Reply> replies =
                        frame.hasReply()
                            ? List.of(frame.getReply())
                            : frame.getReplies().getRepliesList();
                    for (Reply answer : replies) {
                      CompletableFuture<Reply> reply = pending.remove(answer.getId());
                      if (reply != null) {
                        reply.complete(answer);
                      }
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    pending.values().forEach(f -> f.completeExceptionally(t));
                  }

                  @Override
                  public void onCompleted() {
                    pending
                        .values()
                        .forEach(f -> f.completeExceptionally(new IllegalStateException("ended")));
                  }
                });
  }

  Reply call(Call.Builder call) throws Exception {
    long id = nextId.getAndIncrement();
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    pending.put(id, reply);
    synchronized (calls) {
      calls.onNext(ClientFrame.newBuilder().setCall(call.setId(id)).build());
    }
    Reply answer = reply.get(30, TimeUnit.SECONDS);
    if (answer.hasFailure()) {
      throw new AssertionError("call failed: " + answer.getFailure());
    }
    return answer;
  }

  long submit(TaskSpec.Builder spec) throws Exception {
    return call(Call.newBuilder().setTaskSubmit(TaskSubmitRequest.newBuilder().addTasks(spec)))
        .getTaskSubmit()
        .getTaskIds(0);
  }

  /** Waits up to 20 s for the task to finish; fails the test if it does not. */
  TaskOutcome await(long taskId) throws Exception {
    List<TaskOutcome> outcomes =
        call(Call.newBuilder()
                .setTaskWait(
                    TaskWaitRequest.newBuilder()
                        .addTaskIds(taskId)
                        .setAll(true)
                        .setTimeoutMs(20_000)))
            .getTaskWait()
            .getOutcomesList();
    if (outcomes.isEmpty()) {
      throw new AssertionError("task " + taskId + " did not finish within 20 s");
    }
    return outcomes.get(0);
  }

  TaskOutcome info(long taskId) throws Exception {
    return call(Call.newBuilder().setTaskInfo(TaskInfoRequest.newBuilder().setTaskId(taskId)))
        .getTaskInfo()
        .getTask();
  }

  int cancel(long taskId) throws Exception {
    return call(Call.newBuilder().setTaskCancel(TaskCancelRequest.newBuilder().addTaskIds(taskId)))
        .getTaskCancel()
        .getCancelled();
  }

  @Override
  public void close() throws InterruptedException {
    synchronized (calls) {
      calls.onCompleted();
    }
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
