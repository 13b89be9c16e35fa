package dev.colony.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueueInfoRequest;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.server.core.Limits;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The replies one batch of the apply loop gives one stream go out in one frame. */
class ReplyBatchTest {
  private final InProcessCoordinator coordinator = new InProcessCoordinator(Limits.defaults());

  @AfterEach
  void close() throws InterruptedException {
    coordinator.close();
  }

  @Test
  void takesServedByOnePut_areAnsweredInOneFrame_inOrder() throws Exception {
    String taker = coordinator.openSession();
    coordinator.execute(
        taker,
        Call.newBuilder()
            .setObjectCreate(
                ObjectCreateRequest.newBuilder().setName("q").setType(ObjectType.QUEUE)));
    BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
    StreamObserver<ClientFrame> calls = connect(taker, frames);
    for (long id = 1; id <= 3; id++) {
      calls.onNext(
          ClientFrame.newBuilder()
              .setCall(
                  Call.newBuilder()
                      .setId(id)
                      .setQueueGet(QueueGetRequest.newBuilder().setName("q").setAutoAck(true)))
              .build());
    }
    // The stream's frames are applied in order: once this read is answered, the takes wait.
    calls.onNext(
        ClientFrame.newBuilder()
            .setCall(
                Call.newBuilder().setId(4).setQueueInfo(QueueInfoRequest.newBuilder().setName("q")))
            .build());
    assertEquals(4, next(frames).getReply().getId());

    String putter = coordinator.openSession();
    coordinator.execute(
        putter,
        Call.newBuilder()
            .setQueuePut(
                QueuePutRequest.newBuilder()
                    .setName("q")
                    .setItem(item("a"))
                    .addMoreItems(item("b"))
                    .addMoreItems(item("c"))));

    ServerFrame frame = next(frames);
    List<Reply> replies = frame.getReplies().getRepliesList();
    assertEquals(List.of(1L, 2L, 3L), replies.stream().map(Reply::getId).toList(), frame::toString);
    assertEquals(
        List.of("a", "b", "c"),
        replies.stream().map(r -> r.getQueueGet().getItem().getData().toStringUtf8()).toList());
  }

  private static Payload item(String text) {
    return Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8(text)).build();
  }

  private static ServerFrame next(BlockingQueue<ServerFrame> frames) throws InterruptedException {
    ServerFrame frame = frames.poll(20, TimeUnit.SECONDS);
    assertNotNull(frame, "no frame from the coordinator within 20 s");
    return frame;
  }

  private StreamObserver<ClientFrame> connect(String sessionId, BlockingQueue<ServerFrame> frames) {
    Metadata header = new Metadata();
    header.put(SessionIdInterceptor.SESSION_ID_HEADER, sessionId);
    return SessionServiceGrpc.newStub(coordinator.channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header))
        .connect(
            new StreamObserver<>() {
              @Override
              public void onNext(ServerFrame frame) {
                frames.add(frame);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
  }
}
