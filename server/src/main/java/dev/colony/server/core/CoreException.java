package dev.colony.server.core;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;

/**
 * A call that cannot be served. Carries the canonical status code (by number, so the core does not
 * depend on gRPC) and a machine-readable reason; the message tells a person what to do.
 */
public final class CoreException extends RuntimeException {

  /** The canonical gRPC codes the core uses; {@link #number} is the wire value. */
  public enum Code {
    CANCELLED(1),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    OUT_OF_RANGE(11),
    INTERNAL(13),
    UNAVAILABLE(14);

    public final int number;

    Code(int number) {
      this.number = number;
    }
  }

  private final Code code;
  private final ErrorReason reason;

  public CoreException(Code code, ErrorReason reason, String message) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
  }

  public Code code() {
    return code;
  }

  public ErrorReason reason() {
    return reason;
  }

  public Failure toFailure() {
    return Failure.newBuilder()
        .setCode(code.number)
        .setReason(reason)
        .setMessage(getMessage())
        .build();
  }

  public static CoreException invalid(String message) {
    return new CoreException(Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST, message);
  }

  public static CoreException precondition(ErrorReason reason, String message) {
    return new CoreException(Code.FAILED_PRECONDITION, reason, message);
  }

  public static CoreException notFound(ErrorReason reason, String message) {
    return new CoreException(Code.NOT_FOUND, reason, message);
  }

  public static CoreException exhausted(ErrorReason reason, String message) {
    return new CoreException(Code.RESOURCE_EXHAUSTED, reason, message);
  }

  public static CoreException timedOut(String message) {
    return new CoreException(Code.DEADLINE_EXCEEDED, ErrorReason.TIMED_OUT, message);
  }

  public static CoreException cancelled(String message) {
    return new CoreException(Code.CANCELLED, ErrorReason.CANCELLED, message);
  }

  /** The session was opened with other credentials than the caller's. */
  public static CoreException notSessionOwner(String label) {
    return new CoreException(
        Code.PERMISSION_DENIED,
        ErrorReason.NOT_SESSION_OWNER,
        "session "
            + label
            + " was opened with other credentials; only the token that opened a session may use"
            + " it");
  }

  /** The worker id a stream asks to resume was registered with other credentials. */
  public static CoreException notWorkerOwner(String workerId) {
    return new CoreException(
        Code.PERMISSION_DENIED,
        ErrorReason.NOT_WORKER_OWNER,
        "worker "
            + workerId
            + " was registered with other credentials; only the token (or client certificate)"
            + " that registered a worker may take its place again");
  }

  /** The caller should try again (on another stream, or after a restart). */
  public static CoreException unavailable(String message) {
    return new CoreException(Code.UNAVAILABLE, ErrorReason.ERROR_REASON_UNSPECIFIED, message);
  }
}
