package dev.colony.worker;

import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WorkerService.Work stream. Writes are serialized (results come from slot threads, heartbeats
 * from the scheduler) and writes after the stream ended are dropped: the coordinator has already
 * queued the tasks of a broken stream again.
 */
final class CoordinatorStream implements StreamObserver<CoordinatorFrame> {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorStream.class);

  /** What the daemon hears from a stream; calls for one stream never overlap. */
  interface Listener {
    void onFrame(CoordinatorStream stream, CoordinatorFrame frame);

    void onEnded(CoordinatorStream stream, Status status);
  }

  private final Listener listener;
  private StreamObserver<WorkerFrame> requests;
  private boolean closed;

  CoordinatorStream(Listener listener) {
    this.listener = listener;
  }

  /** Opens the stream and sends its first frame (the hello). */
  void open(WorkerServiceGrpc.WorkerServiceStub stub, WorkerFrame hello) {
    StreamObserver<WorkerFrame> opened = stub.work(this);
    synchronized (this) {
      requests = opened;
    }
    send(hello);
  }

  /**
   * @return false if the stream has ended and the frame was dropped
   */
  synchronized boolean send(WorkerFrame frame) {
    if (closed || requests == null) {
      return false;
    }
    try {
      requests.onNext(frame);
      return true;
    } catch (RuntimeException e) {
      closed = true;
      log.debug("dropped a {} frame: the stream has ended", frame.getKindCase(), e);
      return false;
    }
  }

  /** Ends the stream from this side; the coordinator then forgets this worker. */
  synchronized void close() {
    if (closed || requests == null) {
      closed = true;
      return;
    }
    closed = true;
    try {
      requests.onCompleted();
    } catch (RuntimeException e) {
      log.debug("could not close a stream that has already ended", e);
    }
  }

  @Override
  public void onNext(CoordinatorFrame frame) {
    listener.onFrame(this, frame);
  }

  @Override
  public void onError(Throwable error) {
    synchronized (this) {
      closed = true;
    }
    listener.onEnded(this, Status.fromThrowable(error));
  }

  @Override
  public void onCompleted() {
    synchronized (this) {
      closed = true;
    }
    listener.onEnded(this, Status.UNAVAILABLE.withDescription("the coordinator ended the stream"));
  }
}
