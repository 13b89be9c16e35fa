package dev.colony.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.colony.client.ColonyException;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ColonyErrorsTest {

  private static Failure failure(Status.Code code, ErrorReason reason) {
    return Failure.newBuilder()
        .setCode(code.value())
        .setReason(reason)
        .setMessage("because " + reason)
        .build();
  }

  static Stream<Arguments> mappings() {
    return Stream.of(
        Arguments.of(
            Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_NAME, IllegalArgumentException.class),
        Arguments.of(
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.VALUE_KIND_MISMATCH,
            IllegalArgumentException.class),
        Arguments.of(
            Status.Code.FAILED_PRECONDITION,
            ErrorReason.NOT_OWNER,
            IllegalMonitorStateException.class),
        Arguments.of(
            Status.Code.OUT_OF_RANGE,
            ErrorReason.INDEX_OUT_OF_RANGE,
            IndexOutOfBoundsException.class),
        Arguments.of(Status.Code.CANCELLED, ErrorReason.CANCELLED, CancellationException.class),
        Arguments.of(
            Status.Code.FAILED_PRECONDITION, ErrorReason.WRONG_TYPE, ColonyException.class),
        Arguments.of(
            Status.Code.FAILED_PRECONDITION, ErrorReason.OPTIONS_CONFLICT, ColonyException.class),
        Arguments.of(
            Status.Code.RESOURCE_EXHAUSTED, ErrorReason.LIMIT_EXCEEDED, ColonyException.class),
        Arguments.of(Status.Code.NOT_FOUND, ErrorReason.OBJECT_NOT_FOUND, ColonyException.class));
  }

  @ParameterizedTest
  @MethodSource("mappings")
  void toUnchecked_mapsCodeAndReasonToJdkException(
      Status.Code code, ErrorReason reason, Class<? extends RuntimeException> expected) {
    RuntimeException e = ColonyErrors.toUnchecked(failure(code, reason));

    assertInstanceOf(expected, e);
    assertEquals("because " + reason, e.getMessage());
    ColonyException details =
        e instanceof ColonyException ce
            ? ce
            : assertInstanceOf(ColonyException.class, e.getCause());
    assertEquals(reason, details.reason());
    assertEquals(code.value(), details.code().value());
  }

  @Test
  void brokenBarrier_onlyForItsReason() {
    assertNotNull(
        ColonyErrors.brokenBarrier(
            failure(Status.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER)));
    assertNull(
        ColonyErrors.brokenBarrier(failure(Status.Code.NOT_FOUND, ErrorReason.OBJECT_NOT_FOUND)));
  }

  @Test
  void deadlock_becomesDeadlockException() {
    RuntimeException e =
        ColonyErrors.toUnchecked(failure(Status.Code.FAILED_PRECONDITION, ErrorReason.DEADLOCK));
    assertTrue(e instanceof dev.colony.client.DeadlockException, e.toString());
  }

  @Test
  void timedOut_onlyForItsReason() {
    assertNotNull(
        ColonyErrors.timedOut(failure(Status.Code.DEADLINE_EXCEEDED, ErrorReason.TIMED_OUT)));
    assertNull(
        ColonyErrors.timedOut(
            failure(Status.Code.FAILED_PRECONDITION, ErrorReason.BROKEN_BARRIER)));
  }

  @Test
  void fromStatus_readsReasonFromErrorInfo() {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Status.Code.NOT_FOUND.value())
            .setMessage("session 'x' does not exist")
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setReason("SESSION_NOT_FOUND")
                        .setDomain("colony")
                        .build()))
            .build();
    StatusRuntimeException sre = StatusProto.toStatusRuntimeException(status);

    ColonyException e = ColonyErrors.fromStatus(sre, "opening a session");

    assertEquals(ColonyException.Code.NOT_FOUND, e.code());
    assertEquals(ErrorReason.SESSION_NOT_FOUND, e.reason());
    assertSame(sre, e.getCause());
  }

  @Test
  void fromStatus_withoutDetails_hasUnspecifiedReason() {
    ColonyException e =
        ColonyErrors.fromStatus(
            Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException(), "x");

    assertEquals(ColonyException.Code.UNAVAILABLE, e.code());
    assertEquals(ErrorReason.ERROR_REASON_UNSPECIFIED, e.reason());
  }

  @Test
  void unwrap_mapsTheCauseOfAnExecutionException() {
    ColonyException notOwner =
        new ColonyException(
            ColonyException.Code.FAILED_PRECONDITION, ErrorReason.NOT_OWNER, "not yours");

    RuntimeException e = ColonyErrors.unwrap(new ExecutionException(notOwner));

    assertInstanceOf(IllegalMonitorStateException.class, e);
  }

  @Test
  void unwrap_neverLetsStatusRuntimeExceptionEscape() {
    RuntimeException e =
        ColonyErrors.unwrap(new ExecutionException(Status.INTERNAL.asRuntimeException()));

    assertInstanceOf(ColonyException.class, e);
  }

  @Test
  void unknownCodeNumber_isUnknown() {
    assertEquals(ColonyException.Code.UNKNOWN, ColonyException.Code.forNumber(99));
  }
}
