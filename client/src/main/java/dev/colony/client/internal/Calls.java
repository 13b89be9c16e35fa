package dev.colony.client.internal;

import dev.colony.client.ColonyException;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The blocking face of the {@link SessionChannel}: every proxy method is one of these shapes over
 * the async {@link SessionChannel#call}. A call that never blocks on the coordinator waits at most
 * the call timeout; a blocking call sends its timeout to the coordinator (which answers at the
 * deadline) and waits that long plus the call timeout as a safety margin.
 */
final class Calls {
  private static final Logger log = Loggers.get(Calls.class);

  /** Wait as long as it takes (an unset timeout_ms on the wire). */
  static final long FOREVER = -1;

  private final SessionChannel session;
  private final long callTimeoutMillis;
  private volatile ExecutorService callbacks;

  Calls(SessionChannel session, long callTimeoutMillis) {
    this.session = session;
    this.callTimeoutMillis = callTimeoutMillis;
  }

  SessionChannel session() {
    return session;
  }

  /** The async core: the future of the raw reply (failures are replies too). */
  CompletableFuture<Reply> call(Call.Builder call) {
    return session.call(call);
  }

  /**
   * A call for an async proxy view: the future completes on the client's callback thread (never on
   * the transport's, so a dependent stage may block) with {@code onReply} of the reply, or
   * exceptionally with the failure's {@link ColonyException}. Cancelling the future withdraws the
   * call at the coordinator; a reply that was served anyway goes to {@code servedAfterCancel}
   * (which gives back what it took), so a cancelled call keeps nothing.
   */
  <R> CompletableFuture<R> async(
      Call.Builder call, Function<Reply, R> onReply, Consumer<Reply> servedAfterCancel) {
    CompletableFuture<Reply> raw = session.call(call);
    long id = call.getId();
    CompletableFuture<R> result = new CompletableFuture<>();
    raw.whenComplete(
        (reply, error) -> {
          Runnable done = () -> complete(result, reply, error, onReply, servedAfterCancel);
          try {
            callbacks().execute(done);
          } catch (RejectedExecutionException closed) {
            done.run(); // the client is closing: complete here rather than never
          }
        });
    result.whenComplete(
        (value, error) -> {
          if (result.isCancelled() && !raw.isDone()) {
            session.cancel(id);
          }
        });
    return result;
  }

  private static <R> void complete(
      CompletableFuture<R> result,
      Reply reply,
      Throwable error,
      Function<Reply, R> onReply,
      Consumer<Reply> servedAfterCancel) {
    if (error != null) {
      result.completeExceptionally(ColonyErrors.unwrap(error));
      return;
    }
    if (reply.hasFailure()) {
      result.completeExceptionally(ColonyErrors.toColonyException(reply.getFailure()));
      return;
    }
    if (result.isDone()) {
      servedLate(reply, servedAfterCancel);
      return;
    }
    R value;
    try {
      value = onReply.apply(reply);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    if (!result.complete(value)) {
      servedLate(reply, servedAfterCancel); // cancelled while we decoded
    }
  }

  private static void servedLate(Reply reply, Consumer<Reply> servedAfterCancel) {
    if (servedAfterCancel == null) {
      return;
    }
    try {
      servedAfterCancel.accept(reply);
    } catch (RuntimeException e) {
      log.warn("giving back what a cancelled call was served failed", e);
    }
  }

  /**
   * The client's callback thread: async futures complete here in reply order, off the transport
   * thread. Started on first use.
   */
  private ExecutorService callbacks() {
    ExecutorService executor = callbacks;
    if (executor == null) {
      synchronized (this) {
        executor = callbacks;
        if (executor == null) {
          executor =
              Executors.newSingleThreadExecutor(
                  runnable -> {
                    Thread thread = new Thread(runnable, "colony-async-callbacks");
                    thread.setDaemon(true);
                    return thread;
                  });
          callbacks = executor;
        }
      }
    }
    return executor;
  }

  /** Stops the callback thread once the futures already answered have completed. */
  void close() {
    ExecutorService executor;
    synchronized (this) {
      executor = callbacks;
    }
    if (executor != null) {
      executor.shutdown();
    }
  }

  /** A call that does not block on the coordinator; a failure reply is thrown mapped. */
  Reply run(Call.Builder call) {
    Reply reply = runRaw(call);
    if (reply.hasFailure()) {
      throw ColonyErrors.toUnchecked(reply.getFailure());
    }
    return reply;
  }

  /** Like {@link #run} but hands failure replies back, for methods with checked exceptions. */
  Reply runRaw(Call.Builder call) {
    CompletableFuture<Reply> future = session.call(call);
    Reply reply = waitUninterruptibly(future, callTimeoutMillis);
    if (reply == null) {
      session.cancel(call.getId());
      throw deadline(call);
    }
    return reply;
  }

  /**
   * A grant (an item held for this session, a lock, permits) is handed to the application only
   * while the session's lease surely holds: if its reply came after the lease may have run out (a
   * network partition longer than the lease), the coordinator may already have given it to someone
   * else, so the session is confirmed first.
   *
   * @throws ColonyException UNAVAILABLE if the coordinator does not confirm the session
   */
  void trustGrant(String what) {
    if (session.leaseMayHaveRunOut() && !session.confirmLease(callTimeoutMillis)) {
      throw new ColonyException(
          ColonyException.Code.UNAVAILABLE,
          ErrorReason.SESSION_NOT_FOUND,
          what
              + " arrived after this client's session lease may have run out, and the coordinator"
              + " did not confirm the session: it goes to another client instead");
    }
  }

  /** Whether what this session holds is surely still its own (the lease is known to hold). */
  boolean holdsAreValid() {
    return !session.isDead() && !session.leaseMayHaveRunOut();
  }

  /** Fire and forget; the coordinator answers only failures, which the session channel logs. */
  void oneWay(Call.Builder call) {
    session.call(call.setOneWay(true));
  }

  /**
   * A blocking call that an interrupt withdraws. Returns the reply, failure or not.
   *
   * @param timeoutMillis the timeout sent to the coordinator, or {@link #FOREVER}
   * @throws InterruptedCall if interrupted on entry or while waiting
   */
  Reply block(Call.Builder call, long timeoutMillis, String what) throws InterruptedCall {
    if (Thread.interrupted()) {
      throw new InterruptedCall(what, null);
    }
    CompletableFuture<Reply> future = session.call(call);
    try {
      if (timeoutMillis == FOREVER) {
        return future.get();
      }
      return future.get(saturatedAdd(timeoutMillis, callTimeoutMillis), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      session.cancel(call.getId());
      Reply late;
      try {
        late = waitUninterruptibly(future, callTimeoutMillis);
      } catch (RuntimeException lost) {
        late = null; // the stream broke: the coordinator cancels the call itself
      }
      boolean served = late != null && !late.hasFailure();
      throw new InterruptedCall(what, served ? late : null);
    } catch (ExecutionException e) {
      throw ColonyErrors.unwrap(e);
    } catch (TimeoutException e) {
      session.cancel(call.getId());
      Reply late = waitUninterruptibly(future, callTimeoutMillis);
      if (late != null) {
        return late;
      }
      throw deadline(call);
    }
  }

  /**
   * A blocking call that interrupts do not stop (Lock.lock, acquireUninterruptibly); an interrupt
   * that arrived while waiting is set again on return.
   */
  Reply blockUninterruptibly(Call.Builder call) {
    CompletableFuture<Reply> future = session.call(call);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw ColonyErrors.unwrap(e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits for a reply, ignoring interrupts (restored afterwards); null if none came in time. A
   * transport failure is thrown mapped.
   */
  private static Reply waitUninterruptibly(CompletableFuture<Reply> future, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw ColonyErrors.unwrap(e);
        } catch (TimeoutException e) {
          return null;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ColonyException deadline(Call.Builder call) {
    return new ColonyException(
        ColonyException.Code.DEADLINE_EXCEEDED,
        ErrorReason.ERROR_REASON_UNSPECIFIED,
        "the coordinator did not answer "
            + call.getOpCase()
            + " in time (call timeout "
            + callTimeoutMillis
            + " ms)");
  }

  /** A JDK (timeout, unit) as wire milliseconds: negative means do not wait; rounds up. */
  static long toMillis(long timeout, TimeUnit unit) {
    if (timeout <= 0) {
      return 0;
    }
    long nanos = unit.toNanos(timeout);
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    return TimeUnit.MILLISECONDS.toNanos(millis) < nanos ? millis + 1 : millis;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
