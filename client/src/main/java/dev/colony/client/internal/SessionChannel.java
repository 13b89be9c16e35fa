package dev.colony.client.internal;

import dev.colony.client.ColonyChannels;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import dev.colony.client.CoordinatorAddress;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CancelCall;
import dev.colony.proto.v1.ClientFrame;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import dev.colony.proto.v1.KeepAlive;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ServerFrame;
import dev.colony.proto.v1.SessionCloseRequest;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionOpenResponse;
import dev.colony.proto.v1.SessionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One session on one channel: the unary Open, then a single long-lived Connect stream carrying
 * every call, correlated by call id. Replies complete the callers' futures on the transport thread
 * (directExecutor), so nothing here may block there.
 *
 * <p>The call id is also the call's request id: every call stays in flight here until its reply
 * arrives (a one-way call, until a reply to a later call proves the coordinator applied it). If the
 * stream breaks (a network blip, a coordinator restart), calls wait; a new stream is attached to
 * the same session with backoff, and everything in flight is sent again with its id, so the
 * coordinator answers what it already applied from its retry cache instead of applying it twice,
 * and blocked calls go on waiting. The client gives up (and fails what is in flight with
 * UNAVAILABLE) when the coordinator says the session is gone, or after the reconnect timeout.
 *
 * <p>The lease: keep-alives carry an echo the coordinator acknowledges, so the client knows the
 * latest moment its lease was surely renewed. A grant (a queue item, a lock) whose reply arrives
 * after the lease may have run out is handed to the application only after {@link #confirmLease}.
 */
public final class SessionChannel implements AutoCloseable {
  private static final Logger log = Loggers.get(SessionChannel.class);
  static final Metadata.Key<String> SESSION_HEADER =
      Metadata.Key.of("colony-session-id", Metadata.ASCII_STRING_MARSHALLER);

  static final int MAX_INBOUND_MESSAGE_BYTES = 64 << 20;

  /** What a coordinator that does not say accepts: gRPC's default message limit. */
  static final long DEFAULT_MAX_OUTBOUND_MESSAGE_BYTES = 4 << 20;

  private static final long FIRST_REATTACH_DELAY_MILLIS = 20;
  // Short: a re-attach is one cheap refused call while the coordinator is away, and the new
  // leader of a group is reached at most this long after it can serve (with 2 s, a failover took
  // 2.8 s or 4.8 s depending on where in the backoff the election ended).
  private static final long MAX_REATTACH_DELAY_MILLIS = 250;
  private static final long FIRST_OPEN_RETRY_MILLIS = 20;
  private static final long MAX_OPEN_RETRY_MILLIS = 500;

  private enum State {
    OPEN,
    REATTACHING,
    DEAD,
    CLOSED
  }

  /** A call sent and not yet known to be applied; {@code future} is null for one-way calls. */
  private static final class InFlight {
    final Call call;
    final CompletableFuture<Reply> future;
    final long sentNanos;
    volatile boolean cancelled;

    InFlight(Call call, CompletableFuture<Reply> future, long sentNanos) {
      this.call = call;
      this.future = future;
      this.sentNanos = sentNanos;
    }
  }

  private final ManagedChannel channel;
  private final String target;
  private final String sessionId;
  private final String sessionLabel;
  private final long ttlMillis;
  private final OversizedCalls oversized;
  private final long reconnectTimeoutNanos;
  private final SessionServiceGrpc.SessionServiceStub asyncStub;
  private final SessionServiceGrpc.SessionServiceBlockingStub blockingStub;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentSkipListMap<Long, InFlight> pending = new ConcurrentSkipListMap<>();
  // Keep-alives whose acknowledgement someone waits for, by echo.
  private final Map<Long, CompletableFuture<Boolean>> confirmations = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();
  private final long originNanos = System.nanoTime();
  // The send time of the latest frame the coordinator is known to have applied: the lease runs at
  // least ttl from then.
  private final AtomicLong confirmedNanos = new AtomicLong(originNanos);

  // Guarded by writeLock: the current request stream (null while re-attaching) and its state.
  private StreamObserver<ClientFrame> requests;
  private volatile State state = State.OPEN;
  private volatile String deadReason;
  private long brokeAtNanos;
  private long reattachDelayMillis = FIRST_REATTACH_DELAY_MILLIS;

  private SessionChannel(
      ManagedChannel channel,
      String target,
      SessionOpenResponse opened,
      Metadata headers,
      ColonyOptions options) {
    this.channel = channel;
    this.target = target;
    this.sessionId = opened.getSessionId();
    this.sessionLabel = opened.getSessionLabel();
    this.ttlMillis = opened.getTtlMs();
    this.oversized =
        new OversizedCalls(
            opened.getMaxMessageBytes() > 0
                ? opened.getMaxMessageBytes()
                : DEFAULT_MAX_OUTBOUND_MESSAGE_BYTES,
            opened.getMaxPayloadBytes());
    this.reconnectTimeoutNanos = options.getReconnectTimeout().toNanos();
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

  /**
   * Opens a channel and a session, and attaches the stream. The target may list several
   * coordinators; a refusal (UNAVAILABLE: a follower of a replicated group, which points the
   * channel at the leader, or a group still electing one) is tried again after 20 ms, doubling to
   * 500 ms, until the connect timeout.
   */
  public static SessionChannel open(ColonyOptions options) {
    try {
      CoordinatorAddress.resolveAll(CoordinatorAddress.parseList(options.getTarget()));
    } catch (UnknownHostException e) {
      throw new ColonyException(
          ColonyException.Code.UNAVAILABLE,
          ErrorReason.ERROR_REASON_UNSPECIFIED,
          e.getMessage(),
          e);
    }
    ManagedChannel channel =
        ColonyChannels.build(
            ColonyChannels.newChannelBuilder(options)
                .directExecutor()
                // A TaskWait reply carries many results at once (Pool.map); 4 MiB is gRPC's
                // default.
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES));
    try {
      SessionOpenResponse opened = openSession(channel, options);
      Metadata headers = new Metadata();
      headers.put(SESSION_HEADER, opened.getSessionId());
      SessionChannel stream =
          new SessionChannel(channel, options.getTarget(), opened, headers, options);
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
                + describe(options.getConnectTimeout())
                + " (ColonyOptions.setConnectTimeout); is it running, and is that its address?",
            e);
      }
      throw failure;
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
  }

  private static SessionOpenResponse openSession(ManagedChannel channel, ColonyOptions options) {
    SessionOpenRequest request =
        SessionOpenRequest.newBuilder()
            .setClientName(options.getClientName())
            .setHost(HostName.VALUE)
            .setPid(ProcessHandle.current().pid())
            .setTtlMs(options.getSessionTtl().toMillis())
            .build();
    long deadline = System.nanoTime() + options.getConnectTimeout().toNanos();
    long delayMillis = FIRST_OPEN_RETRY_MILLIS;
    while (true) {
      try {
        return SessionServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
            .withWaitForReady()
            .open(request);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE
            || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis) >= deadline) {
          throw e;
        }
        log.debug("the coordinator at {} refused the session: {}", options.getTarget(), e);
      }
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ColonyErrors.unavailable(
            "interrupted while opening a session on the coordinator at " + options.getTarget());
      }
      delayMillis = Math.min(delayMillis * 2, MAX_OPEN_RETRY_MILLIS);
    }
  }

  /** "10 s" or "1500 ms". */
  private static String describe(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** A status on one line: its code and description, without the cause's stack trace. */
  static String describe(Status status) {
    return status.getDescription() == null
        ? status.getCode().toString()
        : status.getCode() + ": " + status.getDescription();
  }

  public String sessionId() {
    return sessionId;
  }

  /** What status and lock info show for this session (the coordinator's label of it). */
  public String sessionLabel() {
    return sessionLabel;
  }

  /** The largest message the coordinator accepts (gRPC's default if it did not say). */
  public long maxMessageBytes() {
    return oversized.maxMessageBytes();
  }

  public long ttlMillis() {
    return ttlMillis;
  }

  /**
   * Sends a call and returns the future of its reply (a failure reply completes it normally; see
   * {@link Reply#hasFailure()}). Assigns the call's id into {@code call}. A one-way call's future
   * completes at once with an empty reply: the coordinator answers those only when they fail, which
   * is logged. While the stream is being re-attached the call waits and goes out with the rest.
   *
   * <p>A call larger than the coordinator accepts is never sent, since it would reset the stream
   * and fail every other call in flight: a two-way call is answered with a PAYLOAD_TOO_LARGE
   * failure reply, a one-way call throws it.
   */
  public CompletableFuture<Reply> call(Call.Builder call) {
    long id;
    CompletableFuture<Reply> future = new CompletableFuture<>();
    boolean oneWay = call.getOneWay();
    synchronized (writeLock) {
      // The id is taken under the lock, so calls are sent in id order and every lower id still
      // in flight is in pending: replied_below never exceeds the id of a call awaiting its reply
      // (else a re-sent call would make the coordinator forget its result and apply it again),
      // and a reply proves only earlier-sent one-way calls applied.
      id = ids.incrementAndGet();
      call.setId(id);
      if (state == State.DEAD || state == State.CLOSED) {
        future.completeExceptionally(notUsable());
        return future;
      }
      Map.Entry<Long, InFlight> oldest = pending.firstEntry();
      call.setRepliedBelow(oldest == null ? id : oldest.getKey());
      InFlight inFlight = new InFlight(call.build(), oneWay ? null : future, System.nanoTime());
      ClientFrame frame = ClientFrame.newBuilder().setCall(inFlight.call).build();
      Failure tooLarge = oversized.check(frame);
      if (tooLarge != null) {
        if (oneWay) {
          throw ColonyErrors.toColonyException(tooLarge);
        }
        future.complete(Reply.newBuilder().setId(id).setFailure(tooLarge).build());
        return future;
      }
      pending.put(id, inFlight);
      if (state == State.OPEN) {
        sendNow(frame);
      }
    }
    if (oneWay) {
      future.complete(Reply.newBuilder().setId(id).build());
    }
    return future;
  }

  /**
   * Withdraws a blocked call; its reply (CANCELLED, or the result if it raced) still comes. If the
   * stream is down, the withdrawal goes out right after the call is sent again.
   */
  public void cancel(long callId) {
    InFlight inFlight = pending.get(callId);
    if (inFlight != null) {
      inFlight.cancelled = true;
    }
    synchronized (writeLock) {
      if (state == State.OPEN) {
        sendNow(cancelFrame(callId));
      }
    }
  }

  /** Whether the client has given up on the session (or was closed). */
  public boolean isDead() {
    State now = state;
    return now == State.DEAD || now == State.CLOSED;
  }

  /**
   * Whether the lease may have run out: no frame the coordinator is known to have applied was sent
   * within the last ttl. A grant that arrives then may already have been given to someone else.
   */
  public boolean leaseMayHaveRunOut() {
    return System.nanoTime() - confirmedNanos.get() >= TimeUnit.MILLISECONDS.toNanos(ttlMillis);
  }

  /**
   * Asks the coordinator whether the session is alive, waiting up to {@code timeoutMillis} (through
   * a re-attach if need be). True if it confirmed the lease; false if the session is gone or no
   * answer came.
   */
  public boolean confirmLease(long timeoutMillis) {
    if (isDead()) {
      return false;
    }
    long sent = System.nanoTime();
    long echo = echoOf(sent);
    CompletableFuture<Boolean> confirmed = new CompletableFuture<>();
    confirmations.put(echo, confirmed);
    synchronized (writeLock) {
      if (state == State.OPEN) {
        sendNow(keepAlive(echo));
      }
    }
    try {
      return confirmed.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    } finally {
      confirmations.remove(echo);
    }
  }

  // Called holding writeLock with state OPEN; a broken stream is noticed by its observer.
  private void sendNow(ClientFrame frame) {
    try {
      requests.onNext(frame);
    } catch (RuntimeException e) {
      log.debug("a frame to {} did not go out; it is sent again on the next stream", target, e);
    }
  }

  private long echoOf(long sentNanos) {
    return sentNanos - originNanos + 1; // never 0, which means "no echo"
  }

  private static ClientFrame cancelFrame(long callId) {
    return ClientFrame.newBuilder().setCancel(CancelCall.newBuilder().setCallId(callId)).build();
  }

  private static ClientFrame keepAlive(long echo) {
    return ClientFrame.newBuilder().setKeepAlive(KeepAlive.newBuilder().setEcho(echo)).build();
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

  /**
   * Attaches a new stream and sends everything in flight on it again, in id order (so the
   * coordinator applies them in the order they were first sent), with their withdrawals.
   */
  private void attach() {
    ResponseObserver observer = new ResponseObserver();
    StreamObserver<ClientFrame> stream = asyncStub.connect(observer);
    synchronized (writeLock) {
      if (observer.ended) {
        // It failed before we could publish it (the transport calls back on this thread).
        throw ColonyErrors.unavailable("the coordinator at " + target + " refused the stream");
      }
      if (state == State.DEAD || state == State.CLOSED) {
        stream.onCompleted();
        return;
      }
      requests = stream;
      state = State.OPEN;
      // The first frame attaches the session at once and renews its lease.
      sendNow(keepAlive(echoOf(System.nanoTime())));
      for (InFlight inFlight : pending.values()) {
        sendNow(ClientFrame.newBuilder().setCall(inFlight.call).build());
        if (inFlight.cancelled) {
          sendNow(cancelFrame(inFlight.call.getId()));
        }
      }
      for (Long echo : confirmations.keySet()) {
        sendNow(keepAlive(echo));
      }
    }
  }

  private void startKeepAlive() {
    long period = Math.max(100, ttlMillis / 3);
    scheduler.scheduleAtFixedRate(
        () -> {
          synchronized (writeLock) {
            if (state == State.OPEN) {
              sendNow(keepAlive(echoOf(System.nanoTime())));
            }
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  /** The coordinator applied a frame sent at {@code sentNanos}: the lease runs ttl from there. */
  private void confirmed(long sentNanos) {
    confirmedNanos.accumulateAndGet(sentNanos, Math::max);
  }

  /** The stream ended: keep what is in flight and re-attach, unless the session is gone. */
  private void onStreamEnded(StreamObserver<ClientFrame> stream, Throwable error) {
    String why = error == null ? "the coordinator closed the stream" : String.valueOf(error);
    long delay;
    synchronized (writeLock) {
      if (requests != stream) {
        return; // a stale stream
      }
      requests = null;
      if (state != State.OPEN) {
        return;
      }
      state = State.REATTACHING;
      long now = System.nanoTime();
      if (brokeAtNanos == 0) {
        brokeAtNanos = now;
      }
      delay = reattachDelayMillis;
      reattachDelayMillis = Math.min(reattachDelayMillis * 2, MAX_REATTACH_DELAY_MILLIS);
    }
    if (error instanceof StatusRuntimeException sre
        && sre.getStatus().getCode() == Status.Code.NOT_FOUND) {
      die("the coordinator no longer knows session " + sessionId + " (" + why + ")");
      return;
    }
    if (delay == FIRST_REATTACH_DELAY_MILLIS) {
      log.warn("stream to {} broke ({}); re-attaching session {}", target, why, sessionId);
    } else {
      log.debug("stream to {} broke again ({}); retrying in {} ms", target, why, delay);
    }
    scheduleReattach(delay);
  }

  private void scheduleReattach(long delayMillis) {
    long brokeAt;
    synchronized (writeLock) {
      brokeAt = brokeAtNanos;
    }
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis) - brokeAt
        > reconnectTimeoutNanos) {
      die(
          "could not reach the coordinator at "
              + target
              + " within the reconnect timeout of "
              + TimeUnit.NANOSECONDS.toMillis(reconnectTimeoutNanos)
              + " ms");
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
              long next;
              synchronized (writeLock) {
                next = reattachDelayMillis;
                reattachDelayMillis = Math.min(next * 2, MAX_REATTACH_DELAY_MILLIS);
              }
              scheduleReattach(next);
            }
          },
          delayMillis,
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() shut the scheduler down; nothing to re-attach.
    }
  }

  /** The coordinator answered on the current stream: it is up, so the next break starts afresh. */
  private void streamWorks() {
    synchronized (writeLock) {
      brokeAtNanos = 0;
      reattachDelayMillis = FIRST_REATTACH_DELAY_MILLIS;
    }
  }

  private void die(String reason) {
    synchronized (writeLock) {
      if (state == State.CLOSED || state == State.DEAD) {
        return;
      }
      deadReason = reason;
      state = State.DEAD;
    }
    log.error("Colony session {} is dead: {}", sessionId, reason);
    failPending(notUsable());
  }

  private void failPending(ColonyException failure) {
    for (Long id : new ArrayList<>(pending.keySet())) {
      InFlight inFlight = pending.remove(id);
      if (inFlight != null && inFlight.future != null) {
        inFlight.future.completeExceptionally(failure);
      }
    }
    for (CompletableFuture<Boolean> confirmation : confirmations.values()) {
      confirmation.complete(false);
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
        closeSession();
      } catch (StatusRuntimeException e) {
        // Not the status itself: its cause would print a whole Netty stack trace per line.
        log.warn(
            "closing session {} failed; its lease will end it: {}",
            sessionId,
            describe(e.getStatus()));
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

  // A follower that refuses the close names the leader: the channel moves there, so the close is
  // tried again (at most twice more), each try within the same deadline as the first.
  private void closeSession() {
    for (int attempt = 1; ; attempt++) {
      try {
        blockingStub
            .withDeadlineAfter(Math.max(1_000, ttlMillis), TimeUnit.MILLISECONDS)
            .close(SessionCloseRequest.newBuilder().setSessionId(sessionId).build());
        return;
      } catch (StatusRuntimeException e) {
        if (attempt >= 3 || ColonyChannels.leaderHint(e).isEmpty()) {
          throw e;
        }
      }
    }
  }

  private final class ResponseObserver implements ClientResponseObserver<ClientFrame, ServerFrame> {
    // Known before the call starts, so even an immediate failure names the right stream.
    private volatile StreamObserver<ClientFrame> requests;
    private volatile boolean ended;
    private boolean answered;

    @Override
    public void beforeStart(ClientCallStreamObserver<ClientFrame> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(ServerFrame frame) {
      if (!answered) {
        answered = true;
        streamWorks();
      }
      switch (frame.getKindCase()) {
        case REPLY -> reply(frame.getReply());
        case REPLIES -> frame.getReplies().getRepliesList().forEach(this::reply);
        case KEEP_ALIVE_ACK -> {
          long echo = frame.getKeepAliveAck().getEcho();
          confirmed(originNanos + echo - 1);
          CompletableFuture<Boolean> confirmation = confirmations.remove(echo);
          if (confirmation != null) {
            confirmation.complete(true);
          }
        }
        case KIND_NOT_SET -> {}
      }
    }

    private void reply(Reply reply) {
      InFlight inFlight = pending.remove(reply.getId());
      if (inFlight == null) {
        return; // answered already (a reply sent again after a re-attach)
      }
      confirmed(inFlight.sentNanos);
      // The coordinator applies a stream's frames in order: one-way calls sent before this one
      // were applied, and need not be sent again.
      pending.headMap(reply.getId()).values().removeIf(earlier -> earlier.future == null);
      if (inFlight.future != null) {
        inFlight.future.complete(reply);
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
