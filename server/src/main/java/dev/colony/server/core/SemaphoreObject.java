package dev.colony.server.core;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Owner;
import dev.colony.proto.v1.SemaphoreAcquireRequest;
import dev.colony.proto.v1.SemaphoreAcquireResponse;
import dev.colony.proto.v1.SemaphoreDrainRequest;
import dev.colony.proto.v1.SemaphoreDrainResponse;
import dev.colony.proto.v1.SemaphoreHoldingSnapshot;
import dev.colony.proto.v1.SemaphoreInfoRequest;
import dev.colony.proto.v1.SemaphoreInfoResponse;
import dev.colony.proto.v1.SemaphoreOptions;
import dev.colony.proto.v1.SemaphoreReduceRequest;
import dev.colony.proto.v1.SemaphoreReduceResponse;
import dev.colony.proto.v1.SemaphoreReleaseRequest;
import dev.colony.proto.v1.SemaphoreReleaseResponse;
import dev.colony.proto.v1.SemaphoreSnapshot;
import dev.colony.proto.v1.SemaphoreWaiterSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SEMAPHORE or BOUNDED_SEMAPHORE. Waiters are served in FIFO order. Fair (the default): a new
 * acquire never overtakes a waiting one, even when enough permits are free, unless it barges
 * (tryAcquire()); unfair: a new acquire takes free permits whoever waits. Any caller may release,
 * but the permits each session acquired are tracked so that those it still holds come back when it
 * ends. A SEMAPHORE may have fewer than zero permits available, as a JDK Semaphore may.
 */
final class SemaphoreObject extends SharedObject implements Acquirable {
  private final int initialPermits;
  private final boolean bounded;
  private final boolean fair;
  private final WaiterQueue<AcquireWaiter> waiters = new WaiterQueue<>();

  /** Permits each session acquired and has not released, in order of first acquire. */
  private final Map<Session, Holding> holdings = new LinkedHashMap<>();

  private long available;
  private long lastToken;

  private static final class Holding {
    long permits;
    long lastThread;
  }

  SemaphoreObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
    if (request.getOptionsCase() != ObjectCreateRequest.OptionsCase.SEMAPHORE
        && request.getOptionsCase() != ObjectCreateRequest.OptionsCase.OPTIONS_NOT_SET) {
      throw CoreException.invalid(
          type + " '" + name + "' takes semaphore options, got " + request.getOptionsCase());
    }
    this.bounded = request.getType() == ObjectType.BOUNDED_SEMAPHORE;
    int permits = request.getSemaphore().getPermits();
    if (bounded && permits < 0) {
      // Its initial permits are also its bound, and a bound below zero could never be acquired.
      throw CoreException.invalid(
          type + " '" + name + "' needs 0 or more initial permits, got " + permits);
    }
    this.initialPermits = permits;
    this.available = permits;
    this.fair = !request.getSemaphore().hasFair() || request.getSemaphore().getFair();
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder()
        .setName(name)
        .setType(type)
        .setSize(available)
        .setWaiters(waiters.size())
        .addAllHolders(holderOwners())
        .setFencingToken(lastToken)
        .setDetail("permits=" + initialPermits + (fair ? "" : " unfair"))
        .build();
  }

  @Override
  public void checkOptions(ObjectCreateRequest request) {
    int permits = request.getSemaphore().getPermits();
    if (permits != 0 && permits != initialPermits) {
      throw optionsConflict("permits=" + initialPermits, "permits=" + permits);
    }
    SemaphoreOptions options = request.getSemaphore();
    if (options.hasFair() && options.getFair() != fair) {
      throw optionsConflict("fair=" + fair, "fair=" + options.getFair());
    }
  }

  @Override
  public void releaseSession(Session session) {
    Holding holding = holdings.remove(session);
    if (holding == null) {
      return;
    }
    available += holding.permits;
    if (bounded) {
      // Another caller may have released this session's permits already; never exceed the bound.
      available = Math.min(available, initialPermits);
    }
    serveWaiters();
  }

  @Override
  public void delete() {
    AcquireWaiter waiter;
    while ((waiter = waiters.poll()) != null) {
      waiter.finish();
      waiter.call().fail(deleted());
    }
    for (Session session : holdings.keySet()) {
      session.unhold(this);
    }
    holdings.clear();
  }

  public void acquire(CallContext ctx, SemaphoreAcquireRequest request) {
    WaitTimeouts.check(request.hasTimeoutMs(), request.getTimeoutMs());
    int permits = request.getPermits();
    if (permits < 0) {
      throw CoreException.invalid("permits must be 0 or more, got " + permits);
    }
    if (bounded && permits > initialPermits) {
      // It could never be granted, and as the head waiter it would block everyone behind it.
      throw CoreException.invalid(
          "cannot acquire "
              + permits
              + " permits of "
              + type
              + " '"
              + name
              + "', which never has more than "
              + initialPermits);
    }
    boolean mayOvertake = request.getBarge() || !fair || waiters.isEmpty();
    if (permits == 0 || (mayOvertake && available >= permits)) {
      grant(ctx, request.getThreadId(), permits);
      return;
    }
    if (WaitTimeouts.isNoWait(request.hasTimeoutMs(), request.getTimeoutMs())) {
      replyNotAcquired(ctx);
      return;
    }
    env.checkWaiters(ctx, this, waiters.size());
    AcquireWaiter waiter = new AcquireWaiter(ctx, request.getThreadId(), permits);
    waiters.add(waiter);
    env.park(waiter, CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs()));
    env.blocked(waiter, ctx.now());
  }

  public void release(CallContext ctx, SemaphoreReleaseRequest request) {
    int permits = request.getPermits();
    if (permits < 0) {
      throw CoreException.invalid("permits must be 0 or more, got " + permits);
    }
    if (bounded && available + permits > initialPermits) {
      throw CoreException.precondition(
          ErrorReason.SEMAPHORE_OVERFLOW,
          type
              + " '"
              + name
              + "' has "
              + available
              + " of "
              + initialPermits
              + " permits available; releasing "
              + permits
              + " more would exceed its bound");
    }
    Session session = ctx.session();
    Holding holding = holdings.get(session);
    if (holding != null) {
      holding.permits -= Math.min(holding.permits, permits);
      if (holding.permits == 0) {
        holdings.remove(session);
        session.unhold(this);
      }
    }
    available += permits;
    serveWaiters();
    long now = available;
    ctx.reply(r -> r.setSemaphoreRelease(SemaphoreReleaseResponse.newBuilder().setAvailable(now)));
  }

  /** Semaphore.drainPermits(): takes every available permit, or brings a negative count to 0. */
  public void drain(CallContext ctx, SemaphoreDrainRequest request) {
    long drained = available;
    if (drained > 0) {
      take(ctx.session(), request.getThreadId(), drained);
    } else {
      available = 0;
    }
    ctx.reply(r -> r.setSemaphoreDrain(SemaphoreDrainResponse.newBuilder().setDrained(drained)));
  }

  /** Semaphore.reducePermits(n): fewer permits available, possibly below zero; never waits. */
  public void reduce(CallContext ctx, SemaphoreReduceRequest request) {
    int reduction = request.getReduction();
    if (reduction < 0) {
      throw CoreException.invalid("reduction must be 0 or more, got " + reduction);
    }
    available -= reduction;
    long now = available;
    ctx.reply(r -> r.setSemaphoreReduce(SemaphoreReduceResponse.newBuilder().setAvailable(now)));
  }

  public void semaphoreInfo(CallContext ctx, SemaphoreInfoRequest request) {
    SemaphoreInfoResponse info =
        SemaphoreInfoResponse.newBuilder()
            .setAvailable(available)
            .setInitialPermits(initialPermits)
            .setBounded(bounded)
            .setFair(fair)
            .setWaiters(waiters.size())
            .addAllHolders(holderOwners())
            .build();
    ctx.reply(r -> r.setSemaphoreInfo(info));
  }

  /** Each session holding permits, as the thread that took its last ones. */
  @Override
  public List<OwnerKey> holders() {
    List<OwnerKey> owners = new ArrayList<>(holdings.size());
    holdings.forEach((session, holding) -> owners.add(new OwnerKey(session, holding.lastThread)));
    return owners;
  }

  // ---- snapshots ------------------------------------------------------------------------

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    SemaphoreSnapshot.Builder semaphore =
        SemaphoreSnapshot.newBuilder()
            .setInitialPermits(initialPermits)
            .setAvailable(available)
            .setLastToken(lastToken)
            .setFair(fair);
    holdings.forEach(
        (session, holding) ->
            semaphore.addHoldings(
                SemaphoreHoldingSnapshot.newBuilder()
                    .setSessionId(writer.sessionId(session))
                    .setPermits(holding.permits)
                    .setLastThread(holding.lastThread)));
    for (AcquireWaiter waiter : waiters) {
      semaphore.addWaiters(
          SemaphoreWaiterSnapshot.newBuilder()
              .setWaiter(writer.waiter(waiter))
              .setThreadId(waiter.threadId)
              .setPermits(waiter.permits));
    }
    snapshot.setSemaphore(semaphore);
  }

  static SemaphoreObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env, SnapshotReader reader) {
    SemaphoreSnapshot state = snapshot.getSemaphore();
    SemaphoreObject semaphore =
        new SemaphoreObject(
            SharedObject.createRequest(snapshot)
                .setSemaphore(
                    SemaphoreOptions.newBuilder()
                        .setPermits(state.getInitialPermits())
                        .setFair(state.getFair()))
                .build(),
            env);
    semaphore.available = state.getAvailable();
    semaphore.lastToken = state.getLastToken();
    for (SemaphoreHoldingSnapshot held : state.getHoldingsList()) {
      Holding holding = new Holding();
      holding.permits = held.getPermits();
      holding.lastThread = held.getLastThread();
      semaphore.holdings.put(reader.session(held.getSessionId()), holding);
    }
    for (SemaphoreWaiterSnapshot waiter : state.getWaitersList()) {
      semaphore.waiters.add(
          reader.waiter(
              waiter.getWaiter(),
              c -> semaphore.new AcquireWaiter(c, waiter.getThreadId(), waiter.getPermits())));
    }
    return semaphore;
  }

  // ---- internals ------------------------------------------------------------------------

  private List<Owner> holderOwners() {
    List<Owner> owners = new ArrayList<>(holdings.size());
    holdings.forEach((session, holding) -> owners.add(session.owner(holding.lastThread)));
    return owners;
  }

  private void grant(CallContext ctx, long thread, int permits) {
    long token = take(ctx.session(), thread, permits);
    ctx.reply(
        r ->
            r.setSemaphoreAcquire(
                SemaphoreAcquireResponse.newBuilder().setAcquired(true).setFencingToken(token)));
  }

  private long take(Session session, long thread, long permits) {
    available -= permits;
    if (permits > 0) {
      Holding holding = holdings.computeIfAbsent(session, s -> new Holding());
      holding.permits += permits;
      holding.lastThread = thread;
      session.hold(this);
    }
    return ++lastToken;
  }

  /** Grants waiters in FIFO order while the oldest one's permits are available. */
  private void serveWaiters() {
    AcquireWaiter head;
    while ((head = waiters.peek()) != null && available >= head.permits) {
      waiters.poll();
      head.finish();
      grant(head.call(), head.threadId, head.permits);
    }
  }

  private static void replyNotAcquired(CallContext ctx) {
    ctx.reply(r -> r.setSemaphoreAcquire(SemaphoreAcquireResponse.newBuilder().setAcquired(false)));
  }

  private final class AcquireWaiter extends Waiter {
    final long threadId;
    final int permits;

    AcquireWaiter(CallContext call, long threadId, int permits) {
      super(call);
      this.threadId = threadId;
      this.permits = permits;
    }

    @Override
    Acquirable acquiring() {
      return SemaphoreObject.this;
    }

    @Override
    long ownerThread() {
      return threadId;
    }

    @Override
    protected void onTimeout(long now) {
      waiters.remove(this);
      replyNotAcquired(call);
      // The head may have been the one asking for too much; those behind it may fit now.
      serveWaiters();
    }

    @Override
    protected void onCancel() {
      waiters.remove(this);
      serveWaiters();
    }
  }
}
