package dev.colony.server.grpc;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.CancelCommand;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.CloseSessionCommand;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.proto.v1.SessionCloseRequest;
import dev.colony.proto.v1.SessionCloseResponse;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionOpenResponse;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.server.auth.Caller;
import dev.colony.server.auth.Role;
import dev.colony.server.core.CoreException;
import dev.colony.server.loop.ApplyLoop;
import dev.colony.server.loop.NotLeader;
import dev.colony.server.loop.Outlet;
import dev.colony.server.metrics.CallMetrics;
import io.grpc.Context;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SessionService: opens and closes sessions and carries calls into the core, over the session
 * stream (Connect) or one at a time (Execute). It validates and forwards; it never touches object
 * state, never blocks and never throws (gRPC would turn that into UNKNOWN).
 */
public final class SessionGrpcService extends SessionServiceGrpc.SessionServiceImplBase {
  /**
   * Unary calls get ids from the top half of the uint64 range (negative as a Java long), so they
   * never collide with the ids a client picks for its stream calls in the same session; stream
   * calls must stay below 2^63.
   */
  static final long FIRST_UNARY_CALL_ID = Long.MIN_VALUE;

  private final ApplyLoop loop;
  private final CallValidator validator;
  private final CallMetrics metrics;
  private final AtomicLong unaryCallIds = new AtomicLong(FIRST_UNARY_CALL_ID);

  public SessionGrpcService(ApplyLoop loop) {
    this(loop, CallMetrics.disabled());
  }

  /** A service that counts and times every call in {@code metrics}. */
  public SessionGrpcService(ApplyLoop loop, CallMetrics metrics) {
    this.loop = loop;
    this.validator = new CallValidator(loop.limits());
    this.metrics = metrics;
  }

  /** This service with the interceptor that reads the session header; register this one. */
  public ServerServiceDefinition withSessionHeader() {
    return ServerInterceptors.intercept(
        this, new SessionIdInterceptor(), new ClientAddressInterceptor());
  }

  @Override
  public void open(SessionOpenRequest request, StreamObserver<SessionOpenResponse> observer) {
    SerializedObserver<SessionOpenResponse> response = new SerializedObserver<>(observer);
    try {
      validator.validateOpen(request);
    } catch (CoreException e) {
      response.fail(ErrorMapper.toException(e));
      return;
    }
    long replyTo =
        unary(
            response,
            output -> {
              if (output.hasOpened()) {
                response.answer(
                    output.getOpened().toBuilder()
                        .setMaxMessageBytes(loop.limits().maxMessageBytes())
                        .setMaxPayloadBytes(loop.limits().maxPayloadBytes())
                        .build());
              } else {
                response.fail(ErrorMapper.toException(output.getFailed()));
              }
            });
    loop.submit(
        Command.newBuilder()
            .setOpenSession(
                OpenSessionCommand.newBuilder()
                    .setSessionId(UUID.randomUUID().toString())
                    .setRequest(request)
                    .setReplyTo(replyTo)
                    .setOwner(AuthInterceptor.CALLER.get().principal())
                    .setClientAddress(ClientAddressInterceptor.CLIENT_ADDRESS.get()))
            .build());
  }

  @Override
  public void close(SessionCloseRequest request, StreamObserver<SessionCloseResponse> observer) {
    SerializedObserver<SessionCloseResponse> response = new SerializedObserver<>(observer);
    String sessionId =
        request.getSessionId().isEmpty()
            ? SessionIdInterceptor.SESSION_ID.get()
            : request.getSessionId();
    if (sessionId == null) {
      response.fail(ErrorMapper.toException(missingSession()));
      return;
    }
    long replyTo =
        unary(
            response,
            output -> {
              if (output.hasFailed()) {
                response.fail(ErrorMapper.toException(output.getFailed()));
              } else {
                response.answer(SessionCloseResponse.getDefaultInstance());
              }
            });
    Caller caller = AuthInterceptor.CALLER.get();
    loop.submit(
        Command.newBuilder()
            .setCloseSession(
                CloseSessionCommand.newBuilder()
                    .setSessionId(sessionId)
                    .setReplyTo(replyTo)
                    .setPrincipal(caller.principal())
                    .setAnyOwner(caller.role() == Role.ADMIN))
            .build());
  }

  @Override
  public StreamObserver<ClientFrame> connect(StreamObserver<ServerFrame> observer) {
    SerializedObserver<ServerFrame> frames =
        SerializedObserver.bounded(observer, loop.limits().maxUnreadBytes());
    String sessionId = SessionIdInterceptor.SESSION_ID.get();
    if (sessionId == null) {
      frames.fail(ErrorMapper.toException(missingSession()));
      return new IgnoredFrames();
    }
    ConnectStream stream =
        new ConnectStream(
            sessionId, AuthInterceptor.CALLER.get().principal(), loop, validator, frames, metrics);
    // A client too far behind is cut off: its stream ends here as if it had gone.
    frames.whenOverflowed(stream::end);
    // Without a handler gRPC throws on writes after a cancel; ending the stream is what we want.
    ((ServerCallStreamObserver<ServerFrame>) observer).setOnCancelHandler(stream::end);
    stream.attach();
    return stream;
  }

  @Override
  public void execute(Call request, StreamObserver<Reply> observer) {
    Call.OpCase op = request.getOpCase();
    long received = metrics.received(op);
    SerializedObserver<Reply> response = new SerializedObserver<>(observer);
    String sessionId = SessionIdInterceptor.SESSION_ID.get();
    String principal = AuthInterceptor.CALLER.get().principal();
    try {
      if (sessionId == null) {
        throw missingSession();
      }
      validator.validate(request);
    } catch (CoreException e) {
      metrics.replied(op, received);
      response.fail(ErrorMapper.toException(e));
      return;
    }
    long callId = unaryCallIds.getAndIncrement();
    Context context = Context.current();
    Call call = request.toBuilder().setId(callId).setOneWay(false).build();
    long replyTo =
        unary(
            response,
            output -> {
              Reply reply = output.getReply();
              // Recorded before the answer goes out, so a caller that has its reply sees it
              // counted.
              metrics.replied(op, received);
              if (reply.hasFailure()) {
                response.fail(ErrorMapper.toException(reply.getFailure()));
              } else {
                response.answer(reply.toBuilder().setId(request.getId()).build());
              }
            });
    loop.submit(
        Command.newBuilder()
            .setCall(
                CallCommand.newBuilder()
                    .setSessionId(sessionId)
                    .setStreamId(replyTo)
                    .setCall(call)
                    .setPrincipal(principal))
            .build());
    // The caller's deadline or cancel withdraws a blocked call, as CancelCall does on the stream.
    // Added after the submit so that an already-cancelled caller withdraws the call it just made;
    // a cancel after the reply finds nothing to withdraw (unary ids are never reused).
    context.addListener(
        cancelled ->
            loop.submit(
                Command.newBuilder()
                    .setCancel(
                        CancelCommand.newBuilder()
                            .setSessionId(sessionId)
                            .setCallId(callId)
                            .setPrincipal(principal))
                    .build()),
        Runnable::run);
  }

  /**
   * Registers a one-shot outlet for a unary request and returns its id; if this node stops leading
   * first, the call fails with UNAVAILABLE naming the leader.
   */
  private long unary(SerializedObserver<?> response, Outlet answer) {
    long id = loop.newId();
    loop.register(
        id,
        new Outlet() {
          @Override
          public void deliver(Output output) {
            loop.unregister(id);
            answer.deliver(output);
          }

          @Override
          public void abandon(NotLeader why) {
            response.fail(LeaderHints.unavailable(why));
          }
        });
    return id;
  }

  static CoreException missingSession() {
    return CoreException.invalid(
        "the metadata header '"
            + SessionIdInterceptor.SESSION_ID_HEADER.name()
            + "' is missing; open a session with SessionService/Open and send its id");
  }

  /** The frames of a stream that has already been refused. */
  private static final class IgnoredFrames implements StreamObserver<ClientFrame> {
    @Override
    public void onNext(ClientFrame frame) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
