package dev.colony.server.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import dev.colony.server.core.CoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where the core's failures become gRPC statuses. The core already uses canonical
 * code numbers, so the code passes through; the reason travels as {@code
 * google.rpc.ErrorInfo{reason, domain: "colony"}} so clients never match message text.
 */
public final class ErrorMapper {
  /** {@code ErrorInfo.domain} of every Colony error. */
  public static final String DOMAIN = "colony";

  private ErrorMapper() {}

  /** The status (code and message) of a failure; the reason needs {@link #toException}. */
  public static Status toStatus(Failure failure) {
    return Status.fromCodeValue(failure.getCode()).withDescription(failure.getMessage());
  }

  public static Status toStatus(CoreException e) {
    return toStatus(e.toFailure());
  }

  /** A failure as an exception to hand to {@code StreamObserver.onError}, with its ErrorInfo. */
  public static StatusRuntimeException toException(Failure failure) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(failure.getCode())
            .setMessage(failure.getMessage())
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setReason(failure.getReason().name())
                        .setDomain(DOMAIN)
                        .build()))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  public static StatusRuntimeException toException(CoreException e) {
    return toException(e.toFailure());
  }

  /**
   * Any throwable that reached the transport as an exception for the caller: core failures keep
   * their code and reason, gRPC statuses pass through, and anything else is INTERNAL (a bug).
   */
  public static StatusRuntimeException toException(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof StatusRuntimeException e) {
      return e;
    }
    return toException(toFailure(cause));
  }

  /** Any throwable as a Failure for the session stream; see {@link #toException(Throwable)}. */
  public static Failure toFailure(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof CoreException e) {
      return e.toFailure();
    }
    if (cause instanceof StatusRuntimeException e) {
      return Failure.newBuilder()
          .setCode(e.getStatus().getCode().value())
          .setReason(ErrorReason.ERROR_REASON_UNSPECIFIED)
          .setMessage(String.valueOf(e.getStatus().getDescription()))
          .build();
    }
    return Failure.newBuilder()
        .setCode(Status.Code.INTERNAL.value())
        .setReason(ErrorReason.ERROR_REASON_UNSPECIFIED)
        .setMessage("internal error: " + cause)
        .build();
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
