package dev.colony.client.internal;

import com.google.rpc.ErrorInfo;
import dev.colony.client.ColonyException;
import dev.colony.client.DeadlockException;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where coordinator failures become Java exceptions: a {@link Failure} from the
 * session stream, or a gRPC status from a unary call, maps by (code, reason) to the JDK exception
 * the proxy's contract names, else to {@link ColonyException}. Message text is never matched.
 */
public final class ColonyErrors {
  private ColonyErrors() {}

  /** The failure as a ColonyException, without JDK mapping. */
  public static ColonyException toColonyException(Failure failure) {
    return create(
        ColonyException.Code.forNumber(failure.getCode()),
        failure.getReason(),
        failure.getMessage().isEmpty() ? "coordinator call failed" : failure.getMessage());
  }

  private static ColonyException create(
      ColonyException.Code code, ErrorReason reason, String message) {
    return reason == ErrorReason.DEADLOCK
        ? new DeadlockException(message)
        : new ColonyException(code, reason, message);
  }

  /**
   * The unchecked exception for a failure: INVALID_ARGUMENT → IllegalArgumentException, NOT_OWNER →
   * IllegalMonitorStateException, INDEX_OUT_OF_RANGE → IndexOutOfBoundsException, CANCELLED →
   * CancellationException, anything else → ColonyException. The JDK exceptions carry the
   * ColonyException as their cause.
   */
  public static RuntimeException toUnchecked(Failure failure) {
    return toUnchecked(toColonyException(failure));
  }

  static RuntimeException toUnchecked(ColonyException e) {
    RuntimeException mapped;
    if (e.reason() == ErrorReason.NOT_OWNER) {
      mapped = new IllegalMonitorStateException(e.getMessage());
    } else if (e.reason() == ErrorReason.INDEX_OUT_OF_RANGE) {
      mapped = new IndexOutOfBoundsException(e.getMessage());
    } else if (e.code() == ColonyException.Code.INVALID_ARGUMENT) {
      return new IllegalArgumentException(e.getMessage(), e);
    } else if (e.code() == ColonyException.Code.CANCELLED || e.reason() == ErrorReason.CANCELLED) {
      mapped = new CancellationException(e.getMessage());
    } else {
      return e;
    }
    mapped.initCause(e);
    return mapped;
  }

  /** BrokenBarrierException where a method declares it; null if the failure is something else. */
  public static BrokenBarrierException brokenBarrier(Failure failure) {
    if (failure.getReason() != ErrorReason.BROKEN_BARRIER) {
      return null;
    }
    BrokenBarrierException e = new BrokenBarrierException(failure.getMessage());
    e.initCause(toColonyException(failure));
    return e;
  }

  /** TimeoutException where a method declares it; null if the failure is something else. */
  public static TimeoutException timedOut(Failure failure) {
    if (failure.getReason() != ErrorReason.TIMED_OUT) {
      return null;
    }
    TimeoutException e = new TimeoutException(failure.getMessage());
    e.initCause(toColonyException(failure));
    return e;
  }

  /** A gRPC status from a unary call; its google.rpc.ErrorInfo detail carries the reason. */
  public static ColonyException fromStatus(StatusRuntimeException e, String context) {
    Status status = e.getStatus();
    ErrorReason reason = ErrorReason.ERROR_REASON_UNSPECIFIED;
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    if (details != null) {
      for (com.google.protobuf.Any any : details.getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          try {
            reason = reasonOf(any.unpack(ErrorInfo.class).getReason());
          } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
            // A malformed detail leaves the reason unspecified; the code still says enough.
          }
        }
      }
    }
    String description = status.getDescription() == null ? "" : ": " + status.getDescription();
    return new ColonyException(
        ColonyException.Code.forNumber(status.getCode().value()),
        reason,
        context + " failed (" + status.getCode() + description + ")",
        e);
  }

  private static ErrorReason reasonOf(String name) {
    try {
      ErrorReason reason = ErrorReason.valueOf(name);
      return reason == ErrorReason.UNRECOGNIZED ? ErrorReason.ERROR_REASON_UNSPECIFIED : reason;
    } catch (IllegalArgumentException unknown) {
      return ErrorReason.ERROR_REASON_UNSPECIFIED;
    }
  }

  /**
   * The exception a failed call future carries, ready to throw from a proxy: ColonyExceptions are
   * mapped like failures, anything unexpected becomes an INTERNAL ColonyException.
   */
  public static RuntimeException unwrap(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ColonyException ce) {
      return toUnchecked(ce);
    }
    if (t instanceof StatusRuntimeException sre) {
      return fromStatus(sre, "call");
    }
    if (t instanceof RuntimeException re) {
      return re;
    }
    return new ColonyException(
        ColonyException.Code.INTERNAL,
        ErrorReason.ERROR_REASON_UNSPECIFIED,
        "unexpected failure: " + t,
        t);
  }

  static ColonyException unavailable(String message) {
    return new ColonyException(
        ColonyException.Code.UNAVAILABLE, ErrorReason.ERROR_REASON_UNSPECIFIED, message);
  }
}
