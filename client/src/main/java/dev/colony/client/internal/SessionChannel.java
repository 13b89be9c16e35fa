package dev.colony.client.internal;

import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CancelCall;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.KeepAlive;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.proto.v1.SessionCloseRequest;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionOpenResponse;
import dev.colony.proto.v1.SessionServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session on one channel: the unary Open, then a single long-lived Connect stream carrying
 * every call, correlated by request id. Replies complete the callers' futures on the transport
 * thread (directExecutor), so nothing here may block there.
 *
 * <p>If the stream breaks, every pending call fails with UNAVAILABLE (the coordinator cancels the
 * blocked calls of a detached stream, so their replies would never come) and a new stream is
 * attached to the same session with backoff, until the lease would have run out; after that the
 * client is dead.
 */
public final class SessionChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionChannel.class);
  static final Metadata.Key<String> SESSION_HEADER =
      Metadata.Key.of("colony-session-id", Metadata.ASCII_STRING_MARSHALLER);

  static final int MAX_INBOUND_MESSAGE_BYTES = 64 << 20;

  private enum State {
    OPEN,
    REATTACHING,
    DEAD,
    CLOSED
  }

  private final ManagedChannel channel;
  private final String target;
  private final String sessionId;
  private final long ttlMillis;
  private final SessionServiceGrpc.SessionServiceStub asyncStub;
  private final SessionServiceGrpc.SessionServiceBlockingStub blockingStub;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();

  // Guarded by writeLock: the current request stream (null while re-attaching) and its state.
  private StreamObserver<ClientFrame> requests;
  private volatile State state = State.OPEN;
  private volatile String deadReason;
  // Last time a frame reached the stream: the coordinator renews the lease on every frame.
  private volatile long lastRenewalNanos;

  private SessionChannel(
      ManagedChannel channel, String target, SessionOpenResponse opened, Metadata headers) {
    this.channel = channel;
    this.target = target;
    this.sessionId = opened.getSessionId();
    this.ttlMillis = opened.getTtlMs();
    this.asyncStub =
        SessionServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    this.blockingStub =
        SessionServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "colony-keepalive");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Opens a channel and a session, and attaches the stream. */
  public static SessionChannel open(ColonyOptions options) {
    ManagedChannel channel =
        Grpc.newChannelBuilder(options.getTarget(), InsecureChannelCredentials.create())
            .directExecutor()
            // A TaskWait reply carries many results at once (Pool.map); 4 MiB is gRPC's default.
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
            .build();
    try {
      SessionOpenResponse opened =
          SessionServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(options.getConnectTimeout().toMillis(), TimeUnit.MILLISECONDS)
              .withWaitForReady()
              .open(
                  SessionOpenRequest.newBuilder()
                      .setClientName(options.getClientName())
                      .setHost(HostName.VALUE)
                      .setPid(ProcessHandle.current().pid())
                      .setTtlMs(options.getSessionTtl().toMillis())
                      .build());
      Metadata headers = new Metadata();
      headers.put(SESSION_HEADER, opened.getSessionId());
      SessionChannel stream = new SessionChannel(channel, options.getTarget(), opened, headers);
      stream.attach();
      stream.startKeepAlive();
      return stream;
    } catch (StatusRuntimeException e) {
      channel.shutdownNow();
      ColonyException failure =
          ColonyErrors.fromStatus(
              e, "opening a session on the coordinator at " + options.getTarget());
      if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        throw new ColonyException(
            ColonyException.Code.UNAVAILABLE,
            failure.reason(),
            "no coordinator answered at "
                + options.getTarget()
                + " within "
                + options.getConnectTimeout().toMillis()
                + " ms",
            e);
      }
      throw failure;
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
  }

  public String sessionId() {
    return sessionId;
  }

  public long ttlMillis() {
    return ttlMillis;
  }

  /**
   * Sends a call and returns the future of its reply (a failure reply completes it normally; see
   * {@link Reply#hasFailure()}). Assigns the call's id into {@code call}. A one-way call's future
   * completes at once with an empty reply: the coordinator answers those only when they fail, which
   * is logged.
   */
  public CompletableFuture<Reply> call(Call.Builder call) {
    long id = ids.incrementAndGet();
    call.setId(id);
    CompletableFuture<Reply> future = new CompletableFuture<>();
    boolean oneWay = call.getOneWay();
    if (!oneWay) {
      pending.put(id, future);
    }
    ColonyException refused = send(ClientFrame.newBuilder().setCall(call).build());
    if (refused != null) {
      pending.remove(id);
      future.completeExceptionally(refused);
    } else if (oneWay) {
      future.complete(Reply.newBuilder().setId(id).build());
    }
    return future;
  }

  /** Withdraws a blocked call; its reply (CANCELLED, or the result if it raced) still comes. */
  public void cancel(long callId) {
    send(ClientFrame.newBuilder().setCancel(CancelCall.newBuilder().setCallId(callId)).build());
  }

  /** Whether a call could be sent now (false while re-attaching, once dead or closed). */
  public boolean isUsable() {
    return state == State.OPEN;
  }

  private ColonyException send(ClientFrame frame) {
    synchronized (writeLock) {
      if (requests == null || state != State.OPEN) {
        return notUsable();
      }
      try {
        requests.onNext(frame);
        lastRenewalNanos = System.nanoTime();
        return null;
      } catch (RuntimeException e) {
        return ColonyErrors.unavailable("cannot send to the coordinator at " + target + ": " + e);
      }
    }
  }

  private ColonyException notUsable() {
    return switch (state) {
      case CLOSED -> ColonyErrors.unavailable("the Colony client is closed");
      case DEAD ->
          new ColonyException(
              ColonyException.Code.UNAVAILABLE,
              ErrorReason.SESSION_NOT_FOUND,
              "the Colony client is dead: " + deadReason + "; connect a new client");
      default ->
          ColonyErrors.unavailable(
              "the connection to the coordinator at " + target + " is being re-established");
    };
  }

  private void attach() {
    ResponseObserver observer = new ResponseObserver();
    StreamObserver<ClientFrame> stream = asyncStub.connect(observer);
    synchronized (writeLock) {
      if (observer.ended) {
        // It failed before we could publish it (the transport calls back on this thread).
        throw ColonyErrors.unavailable("the coordinator at " + target + " refused the stream");
      }
      requests = stream;
      if (state == State.REATTACHING) {
        state = State.OPEN;
      }
      // The first frame attaches the session at once and renews its lease.
      stream.onNext(ClientFrame.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build());
      lastRenewalNanos = System.nanoTime();
    }
  }

  private void startKeepAlive() {
    long period = Math.max(100, ttlMillis / 3);
    scheduler.scheduleAtFixedRate(
        () -> send(ClientFrame.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build()),
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  /** The stream ended: fail what is pending and re-attach, unless the client is closing. */
  private void onStreamEnded(StreamObserver<ClientFrame> stream, Throwable error) {
    synchronized (writeLock) {
      if (requests != stream) {
        return; // a stale stream
      }
      requests = null;
      if (state == State.OPEN) {
        state = State.REATTACHING;
      }
    }
    String why = error == null ? "the coordinator closed the stream" : String.valueOf(error);
    failPending(
        ColonyErrors.unavailable("lost the stream to the coordinator at " + target + ": " + why));
    if (error instanceof StatusRuntimeException sre
        && sre.getStatus().getCode() == Status.Code.NOT_FOUND) {
      die("the coordinator no longer knows session " + sessionId + " (" + why + ")");
      return;
    }
    if (state == State.REATTACHING) {
      log.warn("stream to {} broke ({}); re-attaching session {}", target, why, sessionId);
      scheduleReattach(100);
    }
  }

  private void scheduleReattach(long delayMillis) {
    long leaseEnd = lastRenewalNanos + TimeUnit.MILLISECONDS.toNanos(ttlMillis);
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis) >= leaseEnd) {
      die("could not reach the coordinator at " + target + " before the session lease ran out");
      return;
    }
    try {
      scheduler.schedule(
          () -> {
            if (state != State.REATTACHING) {
              return;
            }
            try {
              attach();
            } catch (RuntimeException e) {
              scheduleReattach(Math.min(delayMillis * 2, 2_000));
            }
          },
          delayMillis,
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() shut the scheduler down; nothing to re-attach.
    }
  }

  private void die(String reason) {
    synchronized (writeLock) {
      if (state == State.CLOSED) {
        return;
      }
      deadReason = reason;
      state = State.DEAD;
    }
    log.error("Colony session {} is dead: {}", sessionId, reason);
    failPending(notUsable());
  }

  private void failPending(ColonyException failure) {
    List<Long> ids = new ArrayList<>(pending.keySet());
    for (Long id : ids) {
      CompletableFuture<Reply> future = pending.remove(id);
      if (future != null) {
        future.completeExceptionally(failure);
      }
    }
  }

  /**
   * Closes the session (the coordinator releases what it held and cancels its blocked calls),
   * completes the stream and shuts the channel down. Idempotent.
   */
  @Override
  public void close() {
    State before;
    synchronized (writeLock) {
      before = state;
      if (before == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    scheduler.shutdownNow();
    if (before != State.DEAD) {
      try {
        blockingStub
            .withDeadlineAfter(Math.max(1_000, ttlMillis), TimeUnit.MILLISECONDS)
            .close(SessionCloseRequest.newBuilder().setSessionId(sessionId).build());
      } catch (StatusRuntimeException e) {
        log.warn("closing session {} failed; its lease will end it: {}", sessionId, e.getStatus());
      }
    }
    synchronized (writeLock) {
      if (requests != null) {
        try {
          requests.onCompleted();
        } catch (RuntimeException ignored) {
          // The stream is already gone; the channel shutdown below ends it anyway.
        }
        requests = null;
      }
    }
    failPending(notUsable());
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private final class ResponseObserver implements ClientResponseObserver<ClientFrame, ServerFrame> {
    // Known before the call starts, so even an immediate failure names the right stream.
    private volatile StreamObserver<ClientFrame> requests;
    private volatile boolean ended;

    @Override
    public void beforeStart(ClientCallStreamObserver<ClientFrame> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(ServerFrame frame) {
      if (!frame.hasReply()) {
        return;
      }
      Reply reply = frame.getReply();
      CompletableFuture<Reply> future = pending.remove(reply.getId());
      if (future != null) {
        future.complete(reply);
      } else if (reply.hasFailure()) {
        log.warn(
            "one-way call {} failed: {} {}",
            reply.getId(),
            reply.getFailure().getReason(),
            reply.getFailure().getMessage());
      }
    }

    @Override
    public void onError(Throwable t) {
      ended = true;
      onStreamEnded(requests, t);
    }

    @Override
    public void onCompleted() {
      ended = true;
      onStreamEnded(requests, null);
    }
  }

  /** The local host name, looked up once. */
  private static final class HostName {
    static final String VALUE = lookup();

    private static String lookup() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        return "localhost";
      }
    }
  }
}
