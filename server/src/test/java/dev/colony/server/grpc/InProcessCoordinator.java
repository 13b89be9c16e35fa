package dev.colony.server.grpc;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.proto.v1.TickCommand;
import dev.colony.server.ColonyServer;
import dev.colony.server.core.CoordinatorCore;
import dev.colony.server.core.Limits;
import dev.colony.server.core.Session;
import dev.colony.server.loop.ApplyLoop;
import dev.colony.server.store.CommandLog;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** A coordinator served in-process, and a channel to it, for transport tests. */
final class InProcessCoordinator implements AutoCloseable {
  final ApplyLoop loop;
  final ColonyServer server;
  final ManagedChannel channel;
  private long nextCallId = 1;

  InProcessCoordinator(Limits limits) {
    this(limits, System::currentTimeMillis);
  }

  /** Time moves only through {@code clock}; {@link #tick()} fires what fell due at once. */
  InProcessCoordinator(Limits limits, LongSupplier clock) {
    String name = InProcessServerBuilder.generateName();
    loop = new ApplyLoop(new CoordinatorCore(limits), CommandLog.inMemory(), clock);
    server =
        ColonyServer.create(InProcessServerBuilder.forName(name).directExecutor(), loop).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** A stub without a session header. */
  SessionServiceGrpc.SessionServiceBlockingStub stub() {
    return SessionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  /** A stub whose calls carry {@code sessionId} in the session header. */
  SessionServiceGrpc.SessionServiceBlockingStub stub(String sessionId) {
    return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header(sessionId)));
  }

  String openSession() {
    return openSession(0);
  }

  String openSession(long ttlMillis) {
    return stub()
        .open(
            SessionOpenRequest.newBuilder()
                .setClientName("transport-test")
                .setTtlMs(ttlMillis)
                .build())
        .getSessionId();
  }

  /**
   * Reads something of a session on the apply loop's thread (where its state may be read); {@code
   * read} gets null if the session does not exist.
   */
  <T> T readSession(String sessionId, Function<Session, T> read) throws Exception {
    return loop.read(
            core ->
                read.apply(
                    core.sessions().stream()
                        .filter(s -> s.id().equals(sessionId))
                        .findFirst()
                        .orElse(null)))
        .get(5, TimeUnit.SECONDS);
  }

  /** Applies a tick now, as the loop does by itself when a deadline falls due. */
  void tick() {
    loop.submit(Command.newBuilder().setTick(TickCommand.getDefaultInstance()).build());
  }

  /** Runs one call through the unary Execute; throws StatusRuntimeException when it fails. */
  Reply execute(String sessionId, Call.Builder call) {
    return stub(sessionId).execute(call.setId(nextCallId++).build());
  }

  /** Opens a Connect stream; {@code sessionId} null sends no header. */
  StreamObserver<ClientFrame> connect(String sessionId, FrameRecorder recorder) {
    SessionServiceGrpc.SessionServiceStub stub = SessionServiceGrpc.newStub(channel);
    if (sessionId != null) {
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header(sessionId)));
    }
    return stub.connect(recorder);
  }

  private static Metadata header(String sessionId) {
    Metadata metadata = new Metadata();
    metadata.put(SessionIdInterceptor.SESSION_ID_HEADER, sessionId);
    return metadata;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
