package dev.colony.server.grpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.MapGetRequest;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.server.ColonyServer;
import dev.colony.server.core.Limits;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator never waits for a client, so a client that stops reading its stream would make it
 * buffer replies without bound; past the bound (Limits.maxUnreadBytes) it ends that stream, and
 * serves everyone else meanwhile. Over real TCP: flow control is the transport's.
 */
class SlowReaderTest {
  private static final Payload MARKER =
      Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8("marker")).build();
  private static final Payload KEY =
      Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8("k")).build();
  private ColonyServer server;
  private ManagedChannel channel;
  private long nextId = 1;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aClientThatStopsReading_hasItsStreamEndedPastTheBound_andOthersAreServed() throws Exception {
    server = ColonyServer.forAddress("127.0.0.1", 0).start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.port(), InsecureChannelCredentials.create())
            .maxInboundMessageSize(64 << 20)
            .build();
    String reader = openSession();
    execute(
        reader,
        Call.newBuilder()
            .setObjectCreate(
                ObjectCreateRequest.newBuilder().setName("big").setType(ObjectType.MAP)));
    Payload megabyte =
        Payload.newBuilder()
            .setCodec("bytes")
            .setData(ByteString.copyFrom(new byte[1 << 20]))
            .build();
    execute(
        reader,
        Call.newBuilder()
            .setMapPut(MapPutRequest.newBuilder().setName("big").setKey(KEY).setValue(megabyte)));
    long bound = Limits.defaults().maxUnreadBytes();

    CompletableFuture<Status> ended = new CompletableFuture<>();
    AtomicInteger replies = new AtomicInteger();
    AtomicReference<ClientCallStreamObserver<ClientFrame>> stream = new AtomicReference<>();
    StreamObserver<ClientFrame> calls =
        SessionServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header(reader)))
            .connect(
                new ClientResponseObserver<ClientFrame, ServerFrame>() {
                  @Override
                  public void beforeStart(ClientCallStreamObserver<ClientFrame> call) {
                    call.disableAutoInboundFlowControl(); // reads one reply, then stops
                    stream.set(call);
                  }

                  @Override
                  public void onNext(ServerFrame frame) {
                    replies.addAndGet(frame.hasReply() ? 1 : frame.getReplies().getRepliesCount());
                  }

                  @Override
                  public void onError(Throwable t) {
                    ended.complete(Status.fromThrowable(t));
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(Status.OK);
                  }
                });
    long gets = bound / (1 << 20) + 32;
    for (long i = 0; i < gets; i++) {
      calls.onNext(
          ClientFrame.newBuilder()
              .setCall(
                  Call.newBuilder()
                      .setId(1_000 + i)
                      .setMapGet(MapGetRequest.newBuilder().setName("big").setKey(KEY)))
              .build());
    }
    // A write after the gets on the same stream: once another session sees it, the coordinator
    // has answered every get, so it has written (or dropped) all their replies.
    calls.onNext(
        ClientFrame.newBuilder()
            .setCall(
                Call.newBuilder()
                    .setId(1_000 + gets)
                    .setMapPut(
                        MapPutRequest.newBuilder().setName("big").setKey(MARKER).setValue(KEY)))
            .build());
    String other = openSession();
    await()
        .atMost(60, TimeUnit.SECONDS)
        .alias("the marker put after the gets is applied")
        .until(
            () ->
                execute(
                        other,
                        Call.newBuilder()
                            .setMapGet(MapGetRequest.newBuilder().setName("big").setKey(MARKER)))
                    .getMapGet()
                    .getFound());

    stream.get().request(Integer.MAX_VALUE); // reads again
    Status status = ended.get(60, TimeUnit.SECONDS);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status::toString);
    assertTrue(status.getDescription().contains("read none of the last"), status::toString);
    assertTrue(
        replies.get() < gets,
        replies.get() + " of " + gets + " replies were buffered: the rest were dropped");
    assertTrue(
        execute(
                other,
                Call.newBuilder().setMapGet(MapGetRequest.newBuilder().setName("big").setKey(KEY)))
            .getMapGet()
            .getFound(),
        "another client is served");
  }

  private String openSession() {
    return SessionServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .open(SessionOpenRequest.newBuilder().setClientName("slow-reader-test").build())
        .getSessionId();
  }

  private dev.colony.proto.v1.Reply execute(String session, Call.Builder call) {
    return SessionServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header(session)))
        .execute(call.setId(nextId++).build());
  }

  private static Metadata header(String sessionId) {
    Metadata metadata = new Metadata();
    metadata.put(SessionIdInterceptor.SESSION_ID_HEADER, sessionId);
    return metadata;
  }
}
