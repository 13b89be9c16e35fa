package dev.colony.client.internal;

import dev.colony.client.ColonySemaphore;
import dev.colony.client.ColonySemaphoreAsync;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.SemaphoreAcquireRequest;
import dev.colony.proto.v1.SemaphoreDrainRequest;
import dev.colony.proto.v1.SemaphoreInfoRequest;
import dev.colony.proto.v1.SemaphoreInfoResponse;
import dev.colony.proto.v1.SemaphoreReduceRequest;
import dev.colony.proto.v1.SemaphoreReleaseRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A Semaphore or BoundedSemaphore proxy. */
final class SemaphoreImpl extends ObjectProxy implements ColonySemaphore {
  private final Map<Long, Long> lastTokens = new ConcurrentHashMap<>();

  SemaphoreImpl(String name, Calls calls) {
    super(name, calls);
  }

  @Override
  public void acquire() throws InterruptedException {
    acquire(1);
  }

  @Override
  public void acquire(int permits) throws InterruptedException {
    acquire(checkPermits(permits), Calls.FOREVER);
  }

  @Override
  public void acquireUninterruptibly() {
    acquireUninterruptibly(1);
  }

  @Override
  public void acquireUninterruptibly(int permits) {
    onAcquired(
        checked(
            calls.blockUninterruptibly(acquireCall(checkPermits(permits), Calls.FOREVER, false))));
  }

  @Override
  public boolean tryAcquire() {
    return tryAcquire(1);
  }

  @Override
  public boolean tryAcquire(int permits) {
    return onAcquired(checked(calls.run(acquireCall(checkPermits(permits), 0, true))));
  }

  @Override
  public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
    return tryAcquire(1, timeout, unit);
  }

  @Override
  public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
    return acquire(checkPermits(permits), Calls.toMillis(timeout, unit));
  }

  private boolean acquire(int permits, long timeoutMillis) throws InterruptedException {
    Reply reply;
    try {
      reply =
          calls.block(
              acquireCall(permits, timeoutMillis, false),
              timeoutMillis,
              permits + " permit(s) of semaphore '" + name + "'");
    } catch (InterruptedCall e) {
      if (e.served() != null && e.served().getSemaphoreAcquire().getAcquired()) {
        release(permits); // granted as the interrupt came: give them back
      }
      throw e;
    }
    return onAcquired(checked(reply));
  }

  /** {@code barge}: take free permits ahead of waiters (only the untimed tryAcquire does). */
  private Call.Builder acquireCall(int permits, long timeoutMillis, boolean barge) {
    return acquireCall(threadId(), permits, timeoutMillis, barge);
  }

  private Call.Builder acquireCall(long thread, int permits, long timeoutMillis, boolean barge) {
    SemaphoreAcquireRequest.Builder acquire =
        SemaphoreAcquireRequest.newBuilder()
            .setName(name)
            .setPermits(permits)
            .setThreadId(thread)
            .setBarge(barge);
    if (timeoutMillis != Calls.FOREVER) {
      acquire.setTimeoutMs(timeoutMillis);
    }
    return Call.newBuilder().setSemaphoreAcquire(acquire);
  }

  private boolean onAcquired(Reply reply) {
    return onAcquired(threadId(), reply);
  }

  private boolean onAcquired(long thread, Reply reply) {
    boolean acquired = reply.getSemaphoreAcquire().getAcquired();
    if (acquired) {
      calls.trustGrant("permits of semaphore '" + name + "'");
      lastTokens.put(thread, reply.getSemaphoreAcquire().getFencingToken());
    }
    return acquired;
  }

  @Override
  public void release() {
    release(1);
  }

  @Override
  public void release(int permits) {
    checked(calls.run(releaseCall(threadId(), checkPermits(permits))));
  }

  private Call.Builder releaseCall(long thread, int permits) {
    return Call.newBuilder()
        .setSemaphoreRelease(
            SemaphoreReleaseRequest.newBuilder()
                .setName(name)
                .setPermits(permits)
                .setThreadId(thread));
  }

  // ---- the async view -------------------------------------------------------------------

  private final ColonySemaphoreAsync async = new Async();

  @Override
  public ColonySemaphoreAsync async() {
    return async;
  }

  /** Permits are held by the thread that calls: its id is taken now, the reply handled later. */
  private final class Async implements ColonySemaphoreAsync {
    @Override
    public CompletableFuture<Void> acquire(int permits) {
      long thread = threadId();
      int n = checkPermits(permits);
      return calls.async(
          acquireCall(thread, n, Calls.FOREVER, false),
          r -> {
            onAcquired(thread, r);
            return null;
          },
          r -> giveBack(thread, n, r));
    }

    @Override
    public CompletableFuture<Boolean> tryAcquire(int permits) {
      long thread = threadId();
      int n = checkPermits(permits);
      return calls.async(
          acquireCall(thread, n, 0, true), r -> onAcquired(thread, r), r -> giveBack(thread, n, r));
    }

    @Override
    public CompletableFuture<Boolean> tryAcquire(int permits, long timeout, TimeUnit unit) {
      long thread = threadId();
      int n = checkPermits(permits);
      return calls.async(
          acquireCall(thread, n, Calls.toMillis(timeout, unit), false),
          r -> onAcquired(thread, r),
          r -> giveBack(thread, n, r));
    }

    @Override
    public CompletableFuture<Void> release(int permits) {
      return calls.async(releaseCall(threadId(), checkPermits(permits)), r -> null, null);
    }

    private void giveBack(long thread, int permits, Reply reply) {
      if (reply.getSemaphoreAcquire().getAcquired()) {
        checked(calls.run(releaseCall(thread, permits)));
      }
    }
  }

  @Override
  public int availablePermits() {
    return clamp(info().getAvailable());
  }

  @Override
  public int drainPermits() {
    long drained =
        checked(
                calls.run(
                    Call.newBuilder()
                        .setSemaphoreDrain(
                            SemaphoreDrainRequest.newBuilder()
                                .setName(name)
                                .setThreadId(threadId()))))
            .getSemaphoreDrain()
            .getDrained();
    if (drained > 0) {
      calls.trustGrant("permits of semaphore '" + name + "'");
    }
    return clamp(drained);
  }

  @Override
  public void reducePermits(int reduction) {
    if (reduction < 0) {
      throw new IllegalArgumentException("reduction must be 0 or more, was " + reduction);
    }
    checked(
        calls.run(
            Call.newBuilder()
                .setSemaphoreReduce(
                    SemaphoreReduceRequest.newBuilder().setName(name).setReduction(reduction))));
  }

  @Override
  public boolean hasQueuedThreads() {
    return info().getWaiters() > 0;
  }

  @Override
  public int getQueueLength() {
    return info().getWaiters();
  }

  @Override
  public boolean isFair() {
    return info().getFair();
  }

  private SemaphoreInfoResponse info() {
    return checked(
            calls.run(
                Call.newBuilder()
                    .setSemaphoreInfo(SemaphoreInfoRequest.newBuilder().setName(name))))
        .getSemaphoreInfo();
  }

  /** The coordinator counts permits in a long; the JDK API speaks int. */
  private static int clamp(long permits) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, permits));
  }

  @Override
  public long fencingToken() {
    Long token = lastTokens.get(threadId());
    if (token == null) {
      throw new IllegalStateException(
          "the current thread has not acquired semaphore '" + name + "' through this client");
    }
    return token;
  }

  private static int checkPermits(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must be 0 or more, was " + permits);
    }
    return permits;
  }
}
