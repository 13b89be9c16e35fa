package dev.colony.server.grpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CancelCall;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.KeepAlive;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectListRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Reply;
import dev.colony.server.core.Limits;
import dev.colony.server.core.Session;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Connect stream: calls and replies by id, cancel and keep-alive frames, attach/detach. */
class SessionStreamTest {
  private static final long TTL = 5_000;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private InProcessCoordinator coordinator;
  private String session;

  @BeforeEach
  void start() {
    coordinator = new InProcessCoordinator(Limits.defaults(), clock::get);
    session = coordinator.openSession(TTL);
  }

  @AfterEach
  void stop() throws InterruptedException {
    coordinator.close();
  }

  @Test
  void connect_callsOnTheStream_getRepliesWithTheirIds() throws Exception {
    FrameRecorder recorder = new FrameRecorder();
    StreamObserver<ClientFrame> frames = coordinator.connect(session, recorder);

    frames.onNext(call(1, createLock("stream-lock")));
    frames.onNext(call(2, Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance())));

    Reply created = recorder.nextReply();
    assertEquals(1, created.getId());
    assertFalse(created.hasFailure(), created::toString);
    assertTrue(created.getObjectCreate().getCreated());
    Reply listed = recorder.nextReply();
    assertEquals(2, listed.getId());
    assertEquals(
        "stream-lock",
        listed.getObjectList().getObjectsList().stream()
            .map(ObjectInfo::getName)
            .findFirst()
            .orElse(null));
    frames.onCompleted();
  }

  @Test
  void cancelAndKeepAlive_areAccepted_andTheStreamKeepsServing() throws Exception {
    FrameRecorder recorder = new FrameRecorder();
    StreamObserver<ClientFrame> frames = coordinator.connect(session, recorder);

    frames.onNext(
        ClientFrame.newBuilder().setCancel(CancelCall.newBuilder().setCallId(42)).build());
    frames.onNext(ClientFrame.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build());
    frames.onNext(call(3, createLock("after-cancel")));

    Reply reply = recorder.nextReply();
    assertEquals(3, reply.getId(), "a cancel of an unknown call gets no reply of its own");
    assertFalse(reply.hasFailure(), reply::toString);
    assertFalse(recorder.end.isDone(), "the stream must stay open");
    frames.onCompleted();
  }

  @Test
  void keepAlive_renewsTheLease() throws Exception {
    FrameRecorder recorder = new FrameRecorder();
    StreamObserver<ClientFrame> frames = coordinator.connect(session, recorder);
    long openedAt = clock.get();
    assertEquals(openedAt + TTL, coordinator.readSession(session, Session::expiresAt));

    clock.addAndGet(3_000);
    frames.onNext(ClientFrame.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> coordinator.readSession(session, Session::expiresAt),
            expiresAt -> expiresAt == openedAt + 3_000 + TTL);
    clock.addAndGet(4_000);
    coordinator.tick();
    assertNotNull(
        coordinator.readSession(session, s -> s),
        "7 s after opening, the renewed 5 s lease still holds");
    frames.onCompleted();
  }

  @Test
  void halfClose_completesTheStream_andDetachesItFromTheSession() throws Exception {
    FrameRecorder recorder = new FrameRecorder();
    StreamObserver<ClientFrame> frames = coordinator.connect(session, recorder);
    frames.onNext(call(1, createLock("attached")));
    recorder.nextReply();
    assertEquals(1, coordinator.readSession(session, Session::attachedStreams));

    frames.onCompleted();

    recorder.end.get(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> coordinator.readSession(session, Session::attachedStreams), n -> n == 0);
    assertNotNull(
        coordinator.readSession(session, s -> s),
        "the session outlives its stream until the lease runs out");
  }

  @Test
  void clientCancel_detachesTheStream() throws Exception {
    FrameRecorder recorder = new FrameRecorder();
    StreamObserver<ClientFrame> frames = coordinator.connect(session, recorder);
    frames.onNext(call(1, createLock("cancelled")));
    recorder.nextReply();
    assertEquals(1, coordinator.readSession(session, Session::attachedStreams));

    ((ClientCallStreamObserver<ClientFrame>) frames).cancel("client went away", null);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> coordinator.readSession(session, Session::attachedStreams), n -> n == 0);
  }

  @Test
  void execute_echoesTheCallersId() {
    Reply reply = coordinator.stub(session).execute(createLock("unary").setId(77).build());

    assertEquals(77, reply.getId());
    assertTrue(reply.getObjectCreate().getCreated());
  }

  private static ClientFrame call(long id, Call.Builder call) {
    return ClientFrame.newBuilder().setCall(call.setId(id)).build();
  }

  private static Call.Builder createLock(String name) {
    return Call.newBuilder()
        .setObjectCreate(ObjectCreateRequest.newBuilder().setName(name).setType(ObjectType.LOCK));
  }
}
