package dev.colony.client;

import dev.colony.proto.v1.ErrorReason;

/**
 * A coordinator failure that has no closer JDK exception: the canonical status {@link #code()} and
 * the machine-readable {@link #reason()} the coordinator gave, plus a message a person can act on.
 * Failures that the JDK contracts name (for example an unlock by a non-owner) surface as those JDK
 * exceptions instead, with a {@code ColonyException} as their cause.
 */
public class ColonyException extends RuntimeException {

  /** The canonical gRPC status codes, by the same names and numbers. */
  public enum Code {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private final int value;

    Code(int value) {
      this.value = value;
    }

    /** The wire number of this code. */
    public int value() {
      return value;
    }

    /** The code with this wire number; {@link #UNKNOWN} for numbers outside the canonical set. */
    public static Code forNumber(int value) {
      for (Code code : values()) {
        if (code.value == value) {
          return code;
        }
      }
      return UNKNOWN;
    }
  }

  private final Code code;
  private final ErrorReason reason;

  public ColonyException(Code code, ErrorReason reason, String message) {
    this(code, reason, message, null);
  }

  public ColonyException(Code code, ErrorReason reason, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason == null ? ErrorReason.ERROR_REASON_UNSPECIFIED : reason;
  }

  /** The canonical status code of the failure. */
  public Code code() {
    return code;
  }

  /** Why the coordinator refused; {@code ERROR_REASON_UNSPECIFIED} for transport failures. */
  public ErrorReason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return getClass().getName() + ": " + code + "/" + reason + ": " + getMessage();
  }
}
