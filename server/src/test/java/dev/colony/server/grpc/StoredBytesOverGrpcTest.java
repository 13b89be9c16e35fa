package dev.colony.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.ValueAddRequest;
import dev.colony.server.core.Limits;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that stores past the byte limits, through the real transport, gets RESOURCE_EXHAUSTED
 * with LIMIT_EXCEEDED in its ErrorInfo, while another client's calls go on being served.
 */
class StoredBytesOverGrpcTest {
  private static final int ITEM_BYTES = 4 << 10;
  private static final Limits LIMITS =
      Limits.defaults().withMaxBytesPerContainer(16 << 10).withMaxStoredBytes(40 << 10);

  /**
   * More puts than either limit allows, so a loop that never hits one fails instead of spinning.
   */
  private static final int MAX_PUTS = 100;

  private InProcessCoordinator coordinator;
  private String hog;
  private String other;

  @BeforeEach
  void start() {
    coordinator = new InProcessCoordinator(LIMITS);
    hog = coordinator.openSession();
    other = coordinator.openSession();
  }

  @AfterEach
  void stop() throws InterruptedException {
    coordinator.close();
  }

  @Test
  void aClientOverTheQueueLimit_isRefused_whileAnotherClientStoresAndTakes() {
    createQueue(hog, "hog");
    createQueue(other, "work");

    StatusRuntimeException refused = fillUntilRefused(hog, "hog");

    assertLimitExceeded(refused, "QUEUE 'hog'", "--max-container-bytes");
    put(other, "work");
    assertTrue(take(other, "work"), "the other client's queue still works");
    assertTrue(take(hog, "hog"), "the refused client can take");
    put(hog, "hog");
  }

  @Test
  void aClientOverTheTotal_isRefused_andOthersKeepWorkingUntilItTakes() {
    createQueue(other, "work");
    createValue(other, "counter");
    StatusRuntimeException refused = null;
    for (int queue = 0; refused == null && queue < MAX_PUTS; queue++) {
      createQueue(hog, "hog-" + queue);
      refused = fillUntilRefusedOrFull(hog, "hog-" + queue);
    }
    assertNotNull(refused, "the total limit was never reached");

    assertLimitExceeded(refused, "cannot take", "--max-stored-bytes");
    coordinator.execute(
        other,
        Call.newBuilder()
            .setValueAdd(
                ValueAddRequest.newBuilder()
                    .setName("counter")
                    .setDelta(Scalar.newBuilder().setLongValue(1))));
    assertLimitExceeded(
        assertThrows(StatusRuntimeException.class, () -> put(other, "work")),
        "QUEUE 'work'",
        "--max-stored-bytes");
    assertTrue(take(hog, "hog-0"));
    put(other, "work");
  }

  private StatusRuntimeException fillUntilRefused(String session, String queue) {
    for (int i = 0; i < MAX_PUTS; i++) {
      try {
        put(session, queue);
      } catch (StatusRuntimeException e) {
        return e;
      }
    }
    throw new AssertionError(MAX_PUTS + " puts of " + ITEM_BYTES + " bytes were never refused");
  }

  /** Null when the queue refused for its own limit; the refusal when it was the total. */
  private StatusRuntimeException fillUntilRefusedOrFull(String session, String queue) {
    StatusRuntimeException e = fillUntilRefused(session, queue);
    String message = e.getStatus().getDescription();
    return message != null && message.contains("--max-container-bytes") ? null : e;
  }

  private static void assertLimitExceeded(StatusRuntimeException e, String... fragments) {
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), () -> "status of " + e);
    String message = e.getStatus().getDescription();
    for (String fragment : fragments) {
      assertTrue(
          message != null && message.contains(fragment),
          () -> "message '" + message + "' should contain '" + fragment + "'");
    }
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertNotNull(status, () -> "no google.rpc.Status details in " + e);
    ErrorInfo info =
        status.getDetailsList().stream()
            .filter(any -> any.is(ErrorInfo.class))
            .findFirst()
            .map(
                any -> {
                  try {
                    return any.unpack(ErrorInfo.class);
                  } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                    throw new AssertionError(ex);
                  }
                })
            .orElseThrow(() -> new AssertionError("no ErrorInfo in " + e));
    assertEquals(ErrorReason.LIMIT_EXCEEDED.name(), info.getReason());
    assertEquals(ErrorMapper.DOMAIN, info.getDomain());
  }

  private void createQueue(String session, String name) {
    coordinator.execute(
        session,
        Call.newBuilder()
            .setObjectCreate(
                ObjectCreateRequest.newBuilder().setName(name).setType(ObjectType.QUEUE)));
  }

  private void createValue(String session, String name) {
    coordinator.execute(
        session,
        Call.newBuilder()
            .setObjectCreate(
                ObjectCreateRequest.newBuilder().setName(name).setType(ObjectType.VALUE)));
  }

  private void put(String session, String queue) {
    Payload item =
        Payload.newBuilder()
            .setCodec("bytes")
            .setData(ByteString.copyFrom(new byte[ITEM_BYTES]))
            .build();
    assertTrue(
        coordinator
            .execute(
                session,
                Call.newBuilder()
                    .setQueuePut(
                        QueuePutRequest.newBuilder().setName(queue).setItem(item).setTimeoutMs(0)))
            .getQueuePut()
            .getAccepted());
  }

  private boolean take(String session, String queue) {
    return coordinator
        .execute(
            session,
            Call.newBuilder()
                .setQueueGet(
                    QueueGetRequest.newBuilder().setName(queue).setAutoAck(true).setTimeoutMs(0)))
        .getQueueGet()
        .getHasItem();
  }
}
