package dev.colony.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.proto.v1.SessionCloseRequest;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.server.core.Limits;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At least 10,000 random and mutated requests — unary Execute calls, frames on session streams,
 * worker frames, session opens and closes, as valid messages with random fields and as mutated or
 * random bytes — against an in-process coordinator. A client's mistake is never answered INTERNAL
 * or UNKNOWN (those mean a bug), the apply loop never fails, and a normal client is served after.
 * The seed is fixed so a failure replays; {@code -Dcolony.fuzz.seed=N} tries another.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProtocolFuzzTest {
  private static final int REQUESTS = 10_000;
  private static final int ROUND = 250;
  private static final long SEED = Long.getLong("colony.fuzz.seed", 20261129L);
  private static final Set<Status.Code> BUGS = Set.of(Status.Code.INTERNAL, Status.Code.UNKNOWN);
  private static final Limits LIMITS =
      Limits.defaults()
          .withMaxPayloadBytes(1024)
          .withMaxObjects(200)
          .withMaxWaitersPerObject(50)
          .withMaxItemsPerContainer(500);

  private static final MethodDescriptor.Marshaller<byte[]> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
  private static final MethodDescriptor<byte[], byte[]> EXECUTE =
      raw(SessionServiceGrpc.getExecuteMethod());
  private static final MethodDescriptor<byte[], byte[]> OPEN =
      raw(SessionServiceGrpc.getOpenMethod());
  private static final MethodDescriptor<byte[], byte[]> CLOSE =
      raw(SessionServiceGrpc.getCloseMethod());
  private static final MethodDescriptor<byte[], byte[]> CONNECT =
      raw(SessionServiceGrpc.getConnectMethod());
  private static final MethodDescriptor<byte[], byte[]> WORK =
      raw(WorkerServiceGrpc.getWorkMethod());

  private final RandomMessages messages = new RandomMessages(SEED);
  private final List<String> bugs = new ArrayList<>();
  private final List<CompletableFuture<Void>> outcomes = new ArrayList<>();
  private InProcessCoordinator coordinator;

  @BeforeEach
  void start() {
    coordinator = new InProcessCoordinator(LIMITS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    coordinator.close();
  }

  @Test
  void random_and_mutated_requests_get_client_errors_and_leave_the_coordinator_serving()
      throws Exception {
    for (int sent = 0; sent < REQUESTS; sent += ROUND) {
      fuzzRound();
    }

    assertTrue(
        bugs.isEmpty(),
        "seed "
            + SEED
            + ": "
            + bugs.size()
            + " answered as bugs, first: "
            + bugs.subList(0, Math.min(20, bugs.size())));
    assertFalse(coordinator.loop.failed().isDone(), "the apply loop failed");
    servesANormalClient();
  }

  /** One session, one Connect stream and one worker stream at a time, and ROUND requests. */
  private void fuzzRound() throws Exception {
    String session = coordinator.openSession();
    List<StreamObserver<byte[]>> streams = new ArrayList<>();
    StreamObserver<byte[]> connect = open(CONNECT, session, "Connect", streams);
    StreamObserver<byte[]> worker = open(WORK, null, "Work", streams);
    for (int i = 0; i < ROUND; i++) {
      int kind = messages.random().nextInt(100);
      if (kind < 30) {
        Call call = messages.next(Call.getDefaultInstance());
        unary(EXECUTE, session, call.toByteArray(), call);
      } else if (kind < 45) {
        Call call = messages.next(Call.getDefaultInstance());
        unary(EXECUTE, session, messages.mutate(call), "mutated " + call);
      } else if (kind < 65) {
        ClientFrame frame = messages.next(ClientFrame.getDefaultInstance());
        connect.onNext(frame.toByteArray());
      } else if (kind < 70) {
        // Bytes that may not parse end the stream; the next frames go on a new one.
        connect.onNext(messages.mutate(messages.next(ClientFrame.getDefaultInstance())));
        connect = open(CONNECT, session, "Connect after mutated frame", streams);
      } else if (kind < 85) {
        worker.onNext(messages.next(WorkerFrame.getDefaultInstance()).toByteArray());
      } else if (kind < 90) {
        worker.onNext(messages.mutate(messages.next(WorkerFrame.getDefaultInstance())));
        worker = open(WORK, null, "Work after mutated frame", streams);
      } else if (kind < 95) {
        SessionOpenRequest open = messages.next(SessionOpenRequest.getDefaultInstance());
        byte[] bytes = messages.random().nextBoolean() ? open.toByteArray() : messages.mutate(open);
        unary(OPEN, null, bytes, open);
      } else if (kind < 98) {
        SessionCloseRequest close = messages.next(SessionCloseRequest.getDefaultInstance());
        unary(CLOSE, null, messages.mutate(close), close);
      } else {
        Call call = messages.next(Call.getDefaultInstance());
        String stranger = messages.random().nextBoolean() ? null : "not-a-session";
        unary(EXECUTE, stranger, call.toByteArray(), "without a session: " + call);
      }
    }
    for (StreamObserver<byte[]> stream : streams) {
      stream.onCompleted();
    }
    for (CompletableFuture<Void> outcome : outcomes) {
      outcome.get(30, TimeUnit.SECONDS);
    }
    outcomes.clear();
    coordinator.stub().close(SessionCloseRequest.newBuilder().setSessionId(session).build());
  }

  private void unary(
      MethodDescriptor<byte[], byte[]> method, String session, byte[] request, Object what) {
    CompletableFuture<Void> outcome = new CompletableFuture<>();
    outcomes.add(outcome);
    ClientCall<byte[], byte[]> call =
        channel(session)
            .newCall(method, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
    ClientCalls.asyncUnaryCall(
        call,
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] response) {
            if (method == EXECUTE) {
              check(parse(response, Reply.class), what);
            }
          }

          @Override
          public void onError(Throwable t) {
            check(Status.fromThrowable(t), method.getBareMethodName(), what);
            outcome.complete(null);
          }

          @Override
          public void onCompleted() {
            outcome.complete(null);
          }
        });
  }

  /** A raw stream whose replies and end are checked; the caller half-closes it. */
  private StreamObserver<byte[]> open(
      MethodDescriptor<byte[], byte[]> method,
      String session,
      String what,
      List<StreamObserver<byte[]>> streams) {
    CompletableFuture<Void> outcome = new CompletableFuture<>();
    outcomes.add(outcome);
    StreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel(session).newCall(method, CallOptions.DEFAULT),
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] frame) {
                if (method == CONNECT) {
                  ServerFrame parsed = parse(frame, ServerFrame.class);
                  if (parsed.hasReply()) {
                    check(parsed.getReply(), what);
                  }
                  for (Reply reply : parsed.getReplies().getRepliesList()) {
                    check(reply, what);
                  }
                }
              }

              @Override
              public void onError(Throwable t) {
                check(Status.fromThrowable(t), what, "its stream");
                outcome.complete(null);
              }

              @Override
              public void onCompleted() {
                outcome.complete(null);
              }
            });
    streams.add(requests);
    return requests;
  }

  private io.grpc.Channel channel(String session) {
    if (session == null) {
      return coordinator.channel;
    }
    Metadata header = new Metadata();
    header.put(SessionIdInterceptor.SESSION_ID_HEADER, session);
    return io.grpc.ClientInterceptors.intercept(
        coordinator.channel, MetadataUtils.newAttachHeadersInterceptor(header));
  }

  private synchronized void check(Status status, String method, Object what) {
    if (BUGS.contains(status.getCode())) {
      bugs.add(method + " " + status + " for " + describe(what));
    }
  }

  private synchronized void check(Reply reply, Object what) {
    if (reply.hasFailure()
        && BUGS.contains(Status.fromCodeValue(reply.getFailure().getCode()).getCode())) {
      bugs.add("reply " + reply.getFailure() + " for " + describe(what));
    }
  }

  private static String describe(Object what) {
    String text = String.valueOf(what).replace('\n', ' ');
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  private static <T extends Message> T parse(byte[] bytes, Class<T> type) {
    try {
      @SuppressWarnings("unchecked")
      T message = (T) type.getMethod("parseFrom", byte[].class).invoke(null, (Object) bytes);
      return message;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(
          "the coordinator sent a " + type.getSimpleName() + " that does not parse", e);
    }
  }

  private void servesANormalClient() {
    String session = coordinator.openSession();
    String queue = "after-fuzz";
    coordinator.execute(
        session,
        Call.newBuilder()
            .setObjectCreate(
                ObjectCreateRequest.newBuilder().setName(queue).setType(ObjectType.QUEUE)));
    coordinator.execute(
        session,
        Call.newBuilder()
            .setQueuePut(
                QueuePutRequest.newBuilder()
                    .setName(queue)
                    .setItem(
                        Payload.newBuilder()
                            .setData(com.google.protobuf.ByteString.copyFromUtf8("ok")))));
    Reply got =
        coordinator.execute(
            session,
            Call.newBuilder()
                .setQueueGet(QueueGetRequest.newBuilder().setName(queue).setTimeoutMs(5_000)));
    assertEquals(
        "ok", got.getQueueGet().getItem().getData().toStringUtf8(), "the item put after the fuzz");
  }

  private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
    return method.toBuilder(RAW, RAW).build();
  }
}
