package dev.colony.server.grpc;

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

  SerializedObserver(StreamObserver<T> delegate) {
    this.delegate = delegate;
  }

  synchronized void next(T message) {
    if (closed) {
      return;
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
