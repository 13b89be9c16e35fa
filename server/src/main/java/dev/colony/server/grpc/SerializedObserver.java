package dev.colony.server.grpc;

import com.google.protobuf.MessageLite;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response observer that may be used from several threads: the core answers on whichever thread
 * is draining its serial executor (a transport thread, the timer), while gRPC allows only one
 * writer at a time. Writes after the call ended, or that gRPC refuses because the caller went away,
 * are dropped: the caller cannot receive them and a handler must never throw.
 */
final class SerializedObserver<T> {
  private static final Logger log = LoggerFactory.getLogger(SerializedObserver.class);

  private final StreamObserver<T> delegate;
  private boolean closed;
  // For a stream bounded by bounded(): gRPC's view of whether its peer keeps up, and how many
  // bytes were written since it last said so.
  private final ServerCallStreamObserver<T> flow;
  private final long maxUnreadBytes;
  private long unreadBytes;
  private Runnable overflowed = () -> {};

  SerializedObserver(StreamObserver<T> delegate) {
    this.delegate = delegate;
    this.flow = null;
    this.maxUnreadBytes = Long.MAX_VALUE;
  }

  private SerializedObserver(ServerCallStreamObserver<T> delegate, long maxUnreadBytes) {
    this.delegate = delegate;
    this.flow = delegate;
    this.maxUnreadBytes = maxUnreadBytes;
    delegate.setOnReadyHandler(this::caughtUp);
  }

  /**
   * A stream that ends itself with RESOURCE_EXHAUSTED once more than {@code maxUnreadBytes} were
   * written to it while its peer was not reading (gRPC's {@code isReady} false: its transport
   * buffers are full): the coordinator never blocks on a stream, so without this a client that
   * stops reading would make it buffer without bound. Call from the service method, before it
   * returns.
   */
  static <T extends MessageLite> SerializedObserver<T> bounded(
      StreamObserver<T> delegate, long maxUnreadBytes) {
    return new SerializedObserver<>((ServerCallStreamObserver<T>) delegate, maxUnreadBytes);
  }

  /** What to do (besides failing the stream) when a bounded stream's client fell too far behind. */
  synchronized void whenOverflowed(Runnable action) {
    overflowed = action;
  }

  private synchronized void caughtUp() {
    unreadBytes = 0;
  }

  synchronized void next(T message) {
    if (closed) {
      return;
    }
    if (flow != null && !flow.isReady()) {
      unreadBytes += ((MessageLite) message).getSerializedSize();
      if (unreadBytes > maxUnreadBytes) {
        log.warn(
            "ending a stream whose client read none of the last {} bytes sent to it", unreadBytes);
        fail(
            Status.RESOURCE_EXHAUSTED
                .withDescription(
                    "this stream's client read none of the last "
                        + unreadBytes
                        + " bytes the coordinator sent it (the limit is "
                        + maxUnreadBytes
                        + "); it may connect again, and calls sent again with their ids are"
                        + " answered from the retry cache")
                .asRuntimeException());
        overflowed.run();
        return;
      }
    }
    try {
      delegate.onNext(message);
    } catch (RuntimeException e) {
      closed = true;
      log.debug("dropped a message for a call that has gone away", e);
    }
  }

  synchronized void complete() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      delegate.onCompleted();
    } catch (RuntimeException e) {
      log.debug("could not complete a call that has gone away", e);
    }
  }

  synchronized void fail(Throwable error) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      delegate.onError(error);
    } catch (RuntimeException e) {
      log.debug("could not fail a call that has gone away", e);
    }
  }

  /** The single answer of a unary call. */
  synchronized void answer(T message) {
    next(message);
    complete();
  }
}
