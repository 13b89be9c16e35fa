package dev.colony.server.grpc;

import dev.colony.proto.v1.CodeFetchRequest;
import dev.colony.proto.v1.CodeFetchResponse;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.TaskAssignments;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerFrameCommand;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerJoinCommand;
import dev.colony.proto.v1.WorkerLeaveCommand;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.server.core.CoreException;
import dev.colony.server.loop.ApplyLoop;
import dev.colony.server.loop.NotLeader;
import dev.colony.server.loop.Outlet;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WorkerService.Work: one stream per worker daemon. The first frame must be a hello; the worker
 * joins the core, gets its welcome, and every later frame (credits, results, heartbeats, drain)
 * goes to the core. When the stream ends either way, the core forgets the worker and queues its
 * running tasks again.
 */
public final class WorkerGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(WorkerGrpcService.class);
  static final int MAX_SLOTS = 10_000;
  static final int MAX_TEXT = 1_000;

  private final ApplyLoop loop;

  public WorkerGrpcService(ApplyLoop loop) {
    this.loop = loop;
  }

  @Override
  public StreamObserver<WorkerFrame> work(StreamObserver<CoordinatorFrame> responses) {
    return new WorkerStream(
        loop,
        AuthInterceptor.CALLER.get().principal(),
        SerializedObserver.bounded(responses, loop.limits().maxUnreadBytes()));
  }

  /**
   * A jar a client shipped, read on the apply loop's thread (no log entry): NOT_FOUND for a hash
   * the coordinator does not have, INVALID_ARGUMENT for one that is not a SHA-256 in hex.
   */
  @Override
  public void fetchCode(CodeFetchRequest request, StreamObserver<CodeFetchResponse> responses) {
    String hash = request.getSha256();
    if (!hash.matches("[0-9a-f]{64}")) {
      responses.onError(
          Status.INVALID_ARGUMENT
              .withDescription("sha256 must be 64 lowercase hex digits")
              .asRuntimeException());
      return;
    }
    loop.read(core -> core.codeJar(hash))
        .whenComplete(
            (jar, e) -> {
              if (e != null) {
                responses.onError(
                    Status.UNAVAILABLE
                        .withDescription(e.getMessage())
                        .withCause(e)
                        .asRuntimeException());
              } else if (jar == null) {
                responses.onError(
                    Status.NOT_FOUND
                        .withDescription(
                            "the coordinator has no shipped jar "
                                + hash
                                + "; was it uploaded here?")
                        .asRuntimeException());
              } else {
                responses.onNext(CodeFetchResponse.newBuilder().setJar(jar).build());
                responses.onCompleted();
              }
            });
  }

  /** The hello's problem, or null if it is acceptable. */
  static String validate(WorkerHello hello) {
    if (hello.getSlots() < 1 || hello.getSlots() > MAX_SLOTS) {
      return "slots must be between 1 and " + MAX_SLOTS + ", not " + hello.getSlots();
    }
    if (hello.getName().length() > MAX_TEXT
        || hello.getHost().length() > MAX_TEXT
        || hello.getSessionId().length() > MAX_TEXT) {
      return "name, host and session_id must be at most " + MAX_TEXT + " characters";
    }
    if (CallValidator.loneSurrogate(hello.getName()) >= 0
        || CallValidator.loneSurrogate(hello.getHost()) >= 0) {
      return "name and host must be valid UTF-16 (a lone surrogate has no UTF-8 form)";
    }
    return null;
  }

  /**
   * One worker's stream: a hello, then frames, then leaving, each a command addressed by the
   * stream's id. gRPC calls onNext, onError and onCompleted one at a time, so no lock is needed
   * here; the frames for the worker come from the apply thread through the serialized observer.
   */
  private static final class WorkerStream implements StreamObserver<WorkerFrame>, Outlet {
    private final ApplyLoop loop;
    private final String principal;
    private final SerializedObserver<CoordinatorFrame> responses;
    private final long streamId;
    private boolean joined;
    private boolean refused;
    // Set on a gRPC thread, or on the apply thread when the worker stopped reading.
    private volatile boolean left;
    // Tasks assigned in the batch being delivered; touched on the apply thread only.
    private final List<TaskAssignment> assigned = new ArrayList<>();

    WorkerStream(ApplyLoop loop, String principal, SerializedObserver<CoordinatorFrame> responses) {
      this.loop = loop;
      this.principal = principal;
      this.responses = responses;
      this.streamId = loop.newId();
      responses.whenOverflowed(() -> left("the worker read none of what was sent to it"));
    }

    @Override
    public void abandon(NotLeader why) {
      responses.fail(LeaderHints.unavailable(why));
    }

    @Override
    public void onNext(WorkerFrame frame) {
      if (refused || left) {
        return;
      }
      if (!joined) {
        String problem =
            frame.hasHello()
                ? validate(frame.getHello())
                : "the first frame of a worker stream must be a hello, not " + frame.getKindCase();
        if (problem != null) {
          refused = true;
          responses.fail(ErrorMapper.toException(CoreException.invalid(problem)));
          return;
        }
        joined = true;
        loop.register(streamId, this);
        loop.submit(
            Command.newBuilder()
                .setWorkerJoin(
                    WorkerJoinCommand.newBuilder()
                        .setStreamId(streamId)
                        .setHello(frame.getHello())
                        .setPrincipal(principal))
                .build());
      } else if (frame.hasHello()) {
        log.debug("worker stream {} sent a second hello; ignored", streamId);
      } else {
        loop.submit(
            Command.newBuilder()
                .setWorkerFrame(
                    WorkerFrameCommand.newBuilder().setStreamId(streamId).setFrame(frame))
                .build());
      }
    }

    @Override
    public void deliver(Output output) {
      switch (output.getKindCase()) {
        case WORKER -> {
          CoordinatorFrame frame = output.getWorker();
          if (frame.hasTask()) {
            assigned.add(frame.getTask());
          } else {
            flush();
            responses.next(frame);
          }
        }
        case FAILED -> {
          // The join was refused: nothing of the worker is known under this stream.
          loop.unregister(streamId);
          responses.fail(ErrorMapper.toException(output.getFailed()));
        }
        case DROP_WORKER -> {
          loop.unregister(streamId);
          responses.fail(
              ErrorMapper.toException(
                  CoreException.unavailable(
                      "the coordinator dropped this worker: " + output.getDropWorker())));
        }
        default ->
            log.warn("worker stream {}: unexpected {} output", streamId, output.getKindCase());
      }
    }

    /**
     * Sends the tasks assigned in this batch together ({@link FrameBatches}), so a batch is never
     * what takes a frame over a worker's limit.
     */
    @Override
    public void flush() {
      FrameBatches.send(assigned, this::send);
      assigned.clear();
    }

    private void send(List<TaskAssignment> tasks) {
      CoordinatorFrame.Builder frame = CoordinatorFrame.newBuilder();
      if (tasks.size() == 1) {
        frame.setTask(tasks.get(0));
      } else {
        frame.setTasks(TaskAssignments.newBuilder().addAllTasks(tasks));
      }
      responses.next(frame.build());
    }

    @Override
    public void onError(Throwable error) {
      Status status = Status.fromThrowable(error);
      left("stream broke: " + status.getCode() + " " + status.getDescription());
    }

    @Override
    public void onCompleted() {
      left("the worker closed its stream");
      responses.complete();
    }

    private synchronized void left(String why) {
      if (left) {
        return;
      }
      left = true;
      // First, so the core's answer to the leave (dropping the worker) finds no stream to fail.
      loop.unregister(streamId);
      if (joined) {
        loop.submit(
            Command.newBuilder()
                .setWorkerLeave(WorkerLeaveCommand.newBuilder().setStreamId(streamId).setWhy(why))
                .build());
      }
    }
  }
}
