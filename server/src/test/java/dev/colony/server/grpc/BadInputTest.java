package dev.colony.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import dev.colony.proto.v1.BarrierActionDoneRequest;
import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierOptions;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.ConditionInfoRequest;
import dev.colony.proto.v1.ConditionOptions;
import dev.colony.proto.v1.ConditionSignalRequest;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.LatchOptions;
import dev.colony.proto.v1.ListAddRequest;
import dev.colony.proto.v1.LockAcquireRequest;
import dev.colony.proto.v1.LockHasQueuedThreadRequest;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.MapRangeRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectDescribeRequest;
import dev.colony.proto.v1.ObjectListRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueueInfoRequest;
import dev.colony.proto.v1.QueueOptions;
import dev.colony.proto.v1.QueuePosition;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.QueueRangeRequest;
import dev.colony.proto.v1.QueueRemoveRequest;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.SemaphoreAcquireRequest;
import dev.colony.proto.v1.SemaphoreDrainRequest;
import dev.colony.proto.v1.SemaphoreOptions;
import dev.colony.proto.v1.SemaphoreReduceRequest;
import dev.colony.proto.v1.SessionCloseRequest;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.ValueOptions;
import dev.colony.proto.v1.ValueSetRequest;
import dev.colony.server.core.Limits;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests sent straight over gRPC get the documented status, reason and an actionable
 * message, and leave the coordinator serving.
 */
class BadInputTest {
  private static final int MAX_PAYLOAD = 1024;
  private static final Limits LIMITS =
      Limits.defaults()
          .withMaxPayloadBytes(MAX_PAYLOAD)
          .withMaxObjects(1_000)
          .withMaxSessions(100)
          .withMaxWaitersPerObject(100)
          .withMaxItemsPerContainer(10_000);

  private InProcessCoordinator coordinator;
  private String session;

  @BeforeEach
  void start() {
    coordinator = new InProcessCoordinator(LIMITS);
    session = coordinator.openSession();
  }

  @AfterEach
  void stop() throws InterruptedException {
    coordinator.close();
  }

  /** One bad request: how to send it and what must come back. */
  record BadInput(
      String description, Attempt attempt, Status.Code code, ErrorReason reason, String fragment) {
    @Override
    public String toString() {
      return description;
    }
  }

  @FunctionalInterface
  interface Attempt {
    void run(BadInputTest test) throws Exception;
  }

  static Stream<BadInput> badInputs() {
    return Stream.of(
        invalidName("empty name", create("", ObjectType.LOCK), "the name is empty"),
        invalidName("201-character name", create("n".repeat(201), ObjectType.LOCK), "got 201"),
        invalidName("name with a newline", create("a\nb", ObjectType.LOCK), "U+000A"),
        invalidName("name with a NUL", create("a\u0000b", ObjectType.LOCK), "U+0000"),
        invalidName("name with a leading space", create(" lock", ObjectType.LOCK), "whitespace"),
        invalidName("name with a trailing tab", create("lock\t", ObjectType.LOCK), "whitespace"),
        invalidName(
            "name with an invisible format character",
            create("lo\u200bck", ObjectType.LOCK),
            "U+200B"),
        invalidName(
            "name with a lone high surrogate",
            create("a\uD800b", ObjectType.LOCK),
            "lone surrogate U+D800 at index 1"),
        invalidName(
            "name with a lone low surrogate",
            create("a\uDFFFb", ObjectType.LOCK),
            "lone surrogate U+DFFF at index 1"),
        invalidName(
            "name ending in a high surrogate",
            create("queue\uD83D", ObjectType.QUEUE),
            "valid UTF-16"),
        invalidName(
            "queue put to a name with a lone surrogate",
            Call.newBuilder()
                .setQueuePut(QueuePutRequest.newBuilder().setName("q\uDC00").setItem(payload(1))),
            "lone surrogate U+DC00"),
        invalidRequest(
            "task name with a lone surrogate",
            Call.newBuilder()
                .setTaskSubmit(
                    TaskSubmitRequest.newBuilder()
                        .addTasks(TaskSpec.newBuilder().setTaskName("com.acme.T\uD800ask"))),
            "task_name: got 'com.acme.T\\ud800ask' with a lone surrogate U+D800"),
        invalidRequest(
            "empty task name",
            Call.newBuilder()
                .setTaskSubmit(
                    TaskSubmitRequest.newBuilder().addTasks(TaskSpec.getDefaultInstance())),
            "task_name must name the task's class"),
        invalidRequest(
            "task display name with a lone surrogate",
            Call.newBuilder()
                .setTaskSubmit(
                    TaskSubmitRequest.newBuilder()
                        .addTasks(
                            TaskSpec.newBuilder()
                                .setTaskName("com.acme.Task")
                                .setDisplayName("job \uDFFF"))),
            "display_name: got"),
        invalidName(
            "describe with an empty name",
            Call.newBuilder().setObjectDescribe(ObjectDescribeRequest.getDefaultInstance()),
            "1 to 200 printable characters"),
        invalidName(
            "condition without a lock name",
            create("cond", ObjectType.CONDITION),
            "lock_name of its LOCK"),
        invalidName(
            "condition bound to a bad lock name",
            Call.newBuilder()
                .setObjectCreate(
                    createRequest("cond", ObjectType.CONDITION)
                        .setCondition(ConditionOptions.newBuilder().setLockName(" l"))),
            "whitespace"),
        invalidRequest(
            "unspecified object type",
            create("x", ObjectType.OBJECT_TYPE_UNSPECIFIED),
            "object type is required"),
        invalidRequest("missing op", Call.newBuilder(), "no operation set"),
        invalidRequest(
            "options of another type",
            Call.newBuilder()
                .setObjectCreate(
                    createRequest("x", ObjectType.LOCK)
                        .setQueue(QueueOptions.newBuilder().setMaxSize(3))),
            "queue options cannot be given when creating a LOCK"),
        invalidRequest(
            "negative queue get timeout",
            Call.newBuilder()
                .setQueueGet(QueueGetRequest.newBuilder().setName("q").setTimeoutMs(-1)),
            "timeout_ms must be 0"),
        invalidRequest(
            "negative lock acquire timeout",
            Call.newBuilder()
                .setLockAcquire(LockAcquireRequest.newBuilder().setName("l").setTimeoutMs(-5)),
            "got -5"),
        invalidRequest(
            "negative bounded semaphore permits at creation",
            Call.newBuilder()
                .setObjectCreate(
                    createRequest("s", ObjectType.BOUNDED_SEMAPHORE)
                        .setSemaphore(SemaphoreOptions.newBuilder().setPermits(-1))),
            "permits must be 0 or more"),
        invalidRequest(
            "negative semaphore reduction",
            Call.newBuilder()
                .setSemaphoreReduce(
                    SemaphoreReduceRequest.newBuilder().setName("s").setReduction(-4)),
            "reduction must be 0 or more; got -4"),
        new BadInput(
            "semaphore drain on a lock",
            t -> {
              t.coordinator.execute(t.session, create("x", ObjectType.LOCK));
              t.coordinator.execute(
                  t.session,
                  Call.newBuilder()
                      .setSemaphoreDrain(SemaphoreDrainRequest.newBuilder().setName("x")));
            },
            Status.Code.FAILED_PRECONDITION,
            ErrorReason.WRONG_TYPE,
            "'x' is a LOCK"),
        invalidName(
            "lock queue query with an empty name",
            Call.newBuilder()
                .setLockHasQueuedThread(LockHasQueuedThreadRequest.newBuilder().setThreadId(1)),
            "the name is empty"),
        new BadInput(
            "condition waiters asked by a thread not holding the lock",
            t -> {
              t.coordinator.execute(t.session, create("l", ObjectType.LOCK));
              t.coordinator.execute(
                  t.session,
                  Call.newBuilder()
                      .setObjectCreate(
                          createRequest("c", ObjectType.CONDITION)
                              .setCondition(ConditionOptions.newBuilder().setLockName("l"))));
              t.coordinator.execute(
                  t.session,
                  Call.newBuilder()
                      .setConditionInfo(
                          ConditionInfoRequest.newBuilder().setName("c").setThreadId(3)));
            },
            Status.Code.FAILED_PRECONDITION,
            ErrorReason.NOT_OWNER,
            "cannot inspect the waiters of condition 'c'"),
        invalidRequest(
            "barrier action done without an action id",
            Call.newBuilder()
                .setBarrierActionDone(BarrierActionDoneRequest.newBuilder().setName("b")),
            "action_id must be"),
        new BadInput(
            "barrier action done from a session not running the action",
            t -> {
              t.coordinator.execute(
                  t.session,
                  Call.newBuilder()
                      .setObjectCreate(
                          createRequest("b", ObjectType.BARRIER)
                              .setBarrier(BarrierOptions.newBuilder().setParties(1))));
              long actionId =
                  t.coordinator
                      .execute(
                          t.session,
                          Call.newBuilder()
                              .setBarrierAwait(
                                  BarrierAwaitRequest.newBuilder().setName("b").setHasAction(true)))
                      .getBarrierAwait()
                      .getActionId();
              t.coordinator.execute(
                  t.coordinator.openSession(),
                  Call.newBuilder()
                      .setBarrierActionDone(
                          BarrierActionDoneRequest.newBuilder()
                              .setName("b")
                              .setActionId(actionId)));
            },
            Status.Code.FAILED_PRECONDITION,
            ErrorReason.NOT_OWNER,
            "action 1 runs in session"),
        invalidRequest(
            "negative permits to acquire",
            Call.newBuilder()
                .setSemaphoreAcquire(
                    SemaphoreAcquireRequest.newBuilder().setName("s").setPermits(-2)),
            "permits must be 0 or more; got -2"),
        invalidRequest(
            "negative barrier parties",
            Call.newBuilder()
                .setObjectCreate(
                    createRequest("b", ObjectType.BARRIER)
                        .setBarrier(BarrierOptions.newBuilder().setParties(-3))),
            "parties must be 0 or more"),
        invalidRequest(
            "negative latch count",
            Call.newBuilder()
                .setObjectCreate(
                    createRequest("c", ObjectType.COUNT_DOWN_LATCH)
                        .setLatch(LatchOptions.newBuilder().setCount(-1))),
            "count must be 0 or more"),
        invalidRequest(
            "negative queue max size",
            Call.newBuilder()
                .setObjectCreate(
                    createRequest("q", ObjectType.QUEUE)
                        .setQueue(QueueOptions.newBuilder().setMaxSize(-10))),
            "max_size must be 0 or more"),
        invalidRequest(
            "negative condition signal count",
            Call.newBuilder()
                .setConditionSignal(ConditionSignalRequest.newBuilder().setName("c").setCount(-1)),
            "count must be 0 or more"),
        invalidRequest(
            "negative page size of a queue range",
            Call.newBuilder()
                .setQueueRange(QueueRangeRequest.newBuilder().setName("q").setPageSize(-1)),
            "page_size must be 0 (the default, 1000) or between 1 and 10000; got -1"),
        invalidRequest(
            "page size of a map range over the maximum",
            Call.newBuilder()
                .setMapRange(MapRangeRequest.newBuilder().setName("m").setPageSize(10_001)),
            "got 10001"),
        invalidRequest(
            "queue remove without a position",
            Call.newBuilder().setQueueRemove(QueueRemoveRequest.newBuilder().setName("q")),
            "position is required"),
        unknownCursor(
            "queue range from a cursor the queue never handed out",
            ObjectType.QUEUE,
            Call.newBuilder()
                .setQueueRange(
                    QueueRangeRequest.newBuilder()
                        .setName("c")
                        .setCursor(QueuePosition.newBuilder().setSeq(42))),
            "was never handed out by QUEUE 'c'"),
        unknownCursor(
            "map range from a cursor the map never handed out",
            ObjectType.MAP,
            Call.newBuilder().setMapRange(MapRangeRequest.newBuilder().setName("c").setCursor(42)),
            "cursor 42 was never handed out by MAP 'c'"),
        tooLarge(
            "queue item over the limit",
            Call.newBuilder()
                .setQueuePut(QueuePutRequest.newBuilder().setName("q").setItem(payload(2000))),
            "queue item is 2000 bytes"),
        tooLarge(
            "map key over the limit",
            Call.newBuilder()
                .setMapPut(
                    MapPutRequest.newBuilder()
                        .setName("m")
                        .setKey(payload(MAX_PAYLOAD + 1))
                        .setValue(payload(1))),
            "map key is 1025 bytes"),
        tooLarge(
            "one list item over the limit",
            Call.newBuilder()
                .setListAdd(
                    ListAddRequest.newBuilder()
                        .setName("l")
                        .addItems(payload(10))
                        .addItems(payload(5000))),
            "list item is 5000 bytes"),
        tooLarge(
            "string value over the limit",
            Call.newBuilder()
                .setValueSet(
                    ValueSetRequest.newBuilder()
                        .setName("v")
                        .setValue(Scalar.newBuilder().setStringValue("é".repeat(600)))),
            "value is 1200 bytes"),
        tooLarge(
            "initial bytes value over the limit",
            Call.newBuilder()
                .setObjectCreate(
                    createRequest("v", ObjectType.VALUE)
                        .setValue(
                            ValueOptions.newBuilder()
                                .setInitial(
                                    Scalar.newBuilder()
                                        .setBytesValue(ByteString.copyFrom(new byte[1500]))))),
            "limit of 1024 bytes"),
        new BadInput(
            "a name already bound to another type",
            t -> {
              t.coordinator.execute(t.session, create("x", ObjectType.LOCK));
              t.coordinator.execute(t.session, create("x", ObjectType.QUEUE));
            },
            Status.Code.FAILED_PRECONDITION,
            ErrorReason.WRONG_TYPE,
            "'x' is a LOCK, not a QUEUE"),
        new BadInput(
            "queue info on a lock",
            t -> {
              t.coordinator.execute(t.session, create("x", ObjectType.LOCK));
              t.coordinator.execute(
                  t.session,
                  Call.newBuilder().setQueueInfo(QueueInfoRequest.newBuilder().setName("x")));
            },
            Status.Code.FAILED_PRECONDITION,
            ErrorReason.WRONG_TYPE,
            "'x' is a LOCK"),
        new BadInput(
            "describe an object that does not exist",
            t ->
                t.coordinator.execute(
                    t.session,
                    Call.newBuilder()
                        .setObjectDescribe(ObjectDescribeRequest.newBuilder().setName("ghost"))),
            Status.Code.NOT_FOUND,
            ErrorReason.OBJECT_NOT_FOUND,
            "no object is called 'ghost'"),
        new BadInput(
            "queue info on an object that does not exist",
            t ->
                t.coordinator.execute(
                    t.session,
                    Call.newBuilder().setQueueInfo(QueueInfoRequest.newBuilder().setName("ghost"))),
            Status.Code.NOT_FOUND,
            ErrorReason.OBJECT_NOT_FOUND,
            "create it first"),
        new BadInput(
            "unknown session id",
            t -> t.coordinator.execute(UUID.randomUUID().toString(), objectList()),
            Status.Code.NOT_FOUND,
            ErrorReason.SESSION_NOT_FOUND,
            "open a new session"),
        new BadInput(
            "missing session header",
            t -> t.coordinator.stub().execute(objectList().setId(1).build()),
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_REQUEST,
            "'colony-session-id' is missing"),
        new BadInput(
            "close without a session",
            t -> t.coordinator.stub().close(SessionCloseRequest.getDefaultInstance()),
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_REQUEST,
            "'colony-session-id' is missing"),
        new BadInput(
            "session opened with a lone surrogate in the client name",
            t ->
                t.coordinator
                    .stub()
                    .open(SessionOpenRequest.newBuilder().setClientName("cli\uD800ent").build()),
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_REQUEST,
            "client_name: got 'cli\\ud800ent' with a lone surrogate"),
        new BadInput(
            "lone surrogate in a name on the session stream",
            t -> t.overStream(create("a\uD800b", ObjectType.QUEUE).setId(9)),
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_NAME,
            "lone surrogate U+D800"),
        badTtl("session ttl too small", 999),
        badTtl("session ttl too large", 3_600_001),
        badTtl("negative session ttl", -1),
        new BadInput(
            "connect with an unknown session",
            t -> {
              throw t.connectError("no-such-session");
            },
            Status.Code.NOT_FOUND,
            ErrorReason.SESSION_NOT_FOUND,
            "'no-such-session' does not exist"),
        new BadInput(
            "connect without a session header",
            t -> {
              throw t.connectError(null);
            },
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_REQUEST,
            "'colony-session-id' is missing"),
        new BadInput(
            "empty name on the session stream",
            t -> t.overStream(create("", ObjectType.QUEUE).setId(7)),
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_NAME,
            "the name is empty"),
        new BadInput(
            "payload over the limit on the session stream",
            t ->
                t.overStream(
                    Call.newBuilder()
                        .setId(8)
                        .setQueuePut(
                            QueuePutRequest.newBuilder().setName("q").setItem(payload(4096)))),
            Status.Code.RESOURCE_EXHAUSTED,
            ErrorReason.PAYLOAD_TOO_LARGE,
            "4096 bytes"),
        new BadInput(
            "stream call id in the range reserved for unary calls",
            t -> t.overStream(objectList().setId(-1)),
            Status.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_REQUEST,
            "18446744073709551615 is reserved"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInput_isRefusedWithItsReason_andTheCoordinatorKeepsServing(BadInput bad) {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> bad.attempt().run(this));

    assertEquals(bad.code(), e.getStatus().getCode(), () -> "status of " + e);
    String message = e.getStatus().getDescription();
    assertTrue(
        message != null && message.contains(bad.fragment()),
        () -> "message '" + message + "' should contain '" + bad.fragment() + "'");
    ErrorInfo info = errorInfo(e);
    assertEquals(bad.reason().name(), info.getReason());
    assertEquals(ErrorMapper.DOMAIN, info.getDomain());

    coordinator.execute(session, create("still-serving", ObjectType.EVENT));
    Reply list = coordinator.execute(session, objectList());
    assertTrue(
        list.getObjectList().getObjectsList().stream()
            .anyMatch(o -> o.getName().equals("still-serving")),
        () -> "object list after the bad input: " + list);
  }

  @Test
  void namesWithSurrogatePairs_areAccepted_asDistinctObjects() {
    coordinator.execute(session, create("a\uD83D\uDE00b", ObjectType.EVENT));
    coordinator.execute(session, create("a\uD83D\uDE01b", ObjectType.LOCK));

    Reply list = coordinator.execute(session, objectList());
    assertEquals(
        2,
        list.getObjectList().getObjectsList().stream()
            .filter(o -> o.getName().startsWith("a\uD83D"))
            .count(),
        () -> "object list: " + list);
  }

  // ---- how bad inputs are sent ------------------------------------------------------------

  /** Connects and returns the error the stream ended with. */
  private StatusRuntimeException connectError(String sessionId) throws Exception {
    FrameRecorder recorder = new FrameRecorder();
    coordinator.connect(sessionId, recorder);
    return recorder.awaitError();
  }

  /** Sends one call over a Connect stream; a failed reply is thrown as the unary path would. */
  private void overStream(Call.Builder call) throws Exception {
    FrameRecorder recorder = new FrameRecorder();
    StreamObserver<ClientFrame> frames = coordinator.connect(session, recorder);
    try {
      frames.onNext(ClientFrame.newBuilder().setCall(call).build());
      Reply reply = recorder.nextReply();
      assertEquals(call.getId(), reply.getId());
      if (reply.hasFailure()) {
        throw ErrorMapper.toException(reply.getFailure());
      }
    } finally {
      frames.onCompleted();
    }
  }

  // ---- building requests ------------------------------------------------------------------

  private static BadInput invalidName(String description, Call.Builder call, String fragment) {
    return unary(
        description, call, Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_NAME, fragment);
  }

  private static BadInput invalidRequest(String description, Call.Builder call, String fragment) {
    return unary(
        description, call, Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST, fragment);
  }

  /** A range of the existing object 'c' from a cursor it never handed out. */
  private static BadInput unknownCursor(
      String description, ObjectType type, Call.Builder range, String fragment) {
    return new BadInput(
        description,
        t -> {
          t.coordinator.execute(t.session, create("c", type));
          t.coordinator.execute(t.session, range.clone());
        },
        Status.Code.INVALID_ARGUMENT,
        ErrorReason.INVALID_REQUEST,
        fragment);
  }

  private static BadInput tooLarge(String description, Call.Builder call, String fragment) {
    return unary(
        description, call, Status.Code.RESOURCE_EXHAUSTED, ErrorReason.PAYLOAD_TOO_LARGE, fragment);
  }

  private static BadInput unary(
      String description,
      Call.Builder call,
      Status.Code code,
      ErrorReason reason,
      String fragment) {
    return new BadInput(
        description, t -> t.coordinator.execute(t.session, call.clone()), code, reason, fragment);
  }

  private static BadInput badTtl(String description, long ttlMillis) {
    return new BadInput(
        description,
        t -> t.coordinator.stub().open(SessionOpenRequest.newBuilder().setTtlMs(ttlMillis).build()),
        Status.Code.INVALID_ARGUMENT,
        ErrorReason.INVALID_REQUEST,
        "ttl_ms must be 0 (the default, 10000 ms) or between 1000 and 3600000 ms; got "
            + ttlMillis);
  }

  private static ObjectCreateRequest.Builder createRequest(String name, ObjectType type) {
    return ObjectCreateRequest.newBuilder().setName(name).setType(type);
  }

  private static Call.Builder create(String name, ObjectType type) {
    return Call.newBuilder().setObjectCreate(createRequest(name, type));
  }

  private static Call.Builder objectList() {
    return Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance());
  }

  private static Payload payload(int bytes) {
    return Payload.newBuilder()
        .setCodec("bytes")
        .setData(ByteString.copyFrom(new byte[bytes]))
        .build();
  }

  private static ErrorInfo errorInfo(StatusRuntimeException e) throws AssertionError {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      throw new AssertionError("no google.rpc.Status details in " + e);
    }
    return status.getDetailsList().stream()
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
  }
}
