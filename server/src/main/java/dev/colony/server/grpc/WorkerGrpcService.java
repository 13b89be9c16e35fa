package dev.colony.server.grpc;

import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.server.core.CoordinatorCore;
import dev.colony.server.core.WorkerLink;
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

  private final CoordinatorCore core;

  public WorkerGrpcService(CoordinatorCore core) {
    this.core = core;
  }

  @Override
  public StreamObserver<WorkerFrame> work(StreamObserver<CoordinatorFrame> responses) {
    return new WorkerStream(core, responses);
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
    return null;
  }

  /** One worker's stream: joining, then frames, then leaving, each exactly once. */
  private static final class WorkerStream implements StreamObserver<WorkerFrame> {
    private final CoordinatorCore core;
    private final StreamObserver<CoordinatorFrame> responses;
    // Guarded by this: frames that arrive while the join is being applied wait for its id.
    private boolean helloSeen;
    private String workerId;
    private final List<WorkerFrame> early = new ArrayList<>();
    private String endedWhy;
    private boolean closed;

    WorkerStream(CoordinatorCore core, StreamObserver<CoordinatorFrame> responses) {
      this.core = core;
      this.responses = responses;
    }

    @Override
    public void onNext(WorkerFrame frame) {
      String joinedAs;
      synchronized (this) {
        if (closed || endedWhy != null) {
          return;
        }
        if (!helloSeen) {
          if (!acceptHello(frame)) {
            return;
          }
          joinedAs = null;
        } else if (workerId == null) {
          early.add(frame);
          return;
        } else {
          joinedAs = workerId;
        }
      }
      // The core is called without holding this: it may run other commands on this thread, and
      // those write to other workers' streams under their own locks.
      if (joinedAs == null) {
        core.workerJoin(frame.getHello(), link)
            .whenComplete(
                (welcome, error) -> {
                  if (error != null) {
                    synchronized (this) {
                      fail(Status.INTERNAL.withDescription("joining failed: " + error));
                    }
                    return;
                  }
                  joined(welcome.getWorkerId(), frame(welcome));
                });
      } else if (frame.hasHello()) {
        log.debug("worker {} sent a second hello; ignored", joinedAs);
      } else {
        core.workerFrame(joinedAs, frame);
      }
    }

    // Called holding this.
    private boolean acceptHello(WorkerFrame frame) {
      if (!frame.hasHello()) {
        fail(
            Status.INVALID_ARGUMENT.withDescription(
                "the first frame of a worker stream must be a hello, not " + frame.getKindCase()));
        return false;
      }
      String problem = validate(frame.getHello());
      if (problem != null) {
        fail(Status.INVALID_ARGUMENT.withDescription(problem));
        return false;
      }
      helloSeen = true;
      return true;
    }

    private static CoordinatorFrame frame(dev.colony.proto.v1.WorkerWelcome welcome) {
      return CoordinatorFrame.newBuilder().setWelcome(welcome).build();
    }

    private void joined(String id, CoordinatorFrame welcome) {
      List<WorkerFrame> pending;
      String leftWhy;
      synchronized (this) {
        // The welcome goes out before any frame of ours reaches the core, so no task can
        // overtake it: tasks need credits, and credits wait in `early` until now.
        send(welcome);
        workerId = id;
        pending = new ArrayList<>(early);
        early.clear();
        leftWhy = endedWhy;
      }
      for (WorkerFrame frame : pending) {
        if (!frame.hasHello()) {
          core.workerFrame(id, frame);
        }
      }
      if (leftWhy != null) {
        core.workerLeft(id, leftWhy);
      }
    }

    private final WorkerLink link =
        new WorkerLink() {
          @Override
          public void send(CoordinatorFrame frame) {
            WorkerStream.this.send(frame);
          }

          @Override
          public void close(String why) {
            synchronized (WorkerStream.this) {
              fail(
                  Status.UNAVAILABLE.withDescription(
                      "the coordinator dropped this worker: " + why));
            }
          }
        };

    /** The core's link to this worker; serialized because the core sends from any thread. */
    private synchronized void send(CoordinatorFrame frame) {
      if (closed) {
        return;
      }
      try {
        responses.onNext(frame);
      } catch (RuntimeException e) {
        closed = true;
        log.debug("dropped a {} frame for a worker that has gone", frame.getKindCase(), e);
      }
    }

    // Called holding this.
    private void fail(Status status) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        responses.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        log.debug("could not fail a worker stream that has gone", e);
      }
    }

    @Override
    public void onError(Throwable error) {
      Status status = Status.fromThrowable(error);
      left("stream broke: " + status.getCode() + " " + status.getDescription(), false);
    }

    @Override
    public void onCompleted() {
      left("the worker closed its stream", true);
    }

    private void left(String why, boolean completeResponses) {
      String id;
      synchronized (this) {
        if (endedWhy != null) {
          return;
        }
        endedWhy = why;
        id = workerId;
        if (completeResponses && !closed) {
          closed = true;
          try {
            responses.onCompleted();
          } catch (RuntimeException e) {
            log.debug("could not complete a worker stream that has gone", e);
          }
        } else {
          closed = true;
        }
      }
      // Not joined yet: joined() reports the departure once the id is known.
      if (id != null) {
        core.workerLeft(id, why);
      }
    }
  }
}
