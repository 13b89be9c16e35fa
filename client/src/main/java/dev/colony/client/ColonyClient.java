package dev.colony.client;

import dev.colony.proto.v1.TaskOutcome;
import java.util.Optional;

/**
 * A connection to a Colony coordinator: one session, kept alive by a lease (default 10 s, see
 * {@link ColonyOptions.Builder#setSessionTtl}), carried over one gRPC stream. Factory methods
 * get-or-create a named shared object on the coordinator and return a proxy for it; proxies are
 * memoized, so asking twice for the same name and type returns the same instance. Using a name as
 * another type, or with options other than those it was created with, fails with a {@link
 * ColonyException} carrying the coordinator's message.
 *
 * <p>Thread-safe: one client is meant to be shared by all threads of a JVM. Locks are owned by
 * (session, thread), so two threads of one client exclude each other.
 */
public interface ColonyClient extends AutoCloseable {

  /** An unbounded FIFO queue of {@code type} items (or the existing queue of that name). */
  <T> ColonyQueue<T> queue(String name, Class<T> type);

  /** A queue created with the given kind and bound (FIFO, LIFO or priority). */
  <T> ColonyQueue<T> queue(String name, Class<T> type, QueueOptions options);

  /** A non-reentrant lock, like Python's {@code threading.Lock}. */
  ColonyLock lock(String name);

  /** A reentrant lock: the owning thread may acquire it again; it counts holds. */
  ColonyLock rlock(String name);

  /**
   * A fair counting semaphore created with {@code permits} permits, which may be negative (or the
   * existing semaphore of that name, fair or not).
   */
  ColonySemaphore semaphore(String name, int permits);

  /** A counting semaphore with the given ordering policy, as {@code new Semaphore(n, fair)}. */
  ColonySemaphore semaphore(String name, int permits, boolean fair);

  /** A semaphore that refuses releases above its initial {@code permits}. */
  ColonySemaphore boundedSemaphore(String name, int permits);

  ColonyEvent event(String name);

  ColonyBarrier barrier(String name, int parties);

  /**
   * A barrier proxy that runs {@code action} when one of its own awaits trips the barrier, before
   * any party is released ({@code new CyclicBarrier(parties, action)}). Each call returns a new
   * proxy, since the action belongs to the proxy and not to the shared barrier.
   */
  ColonyBarrier barrier(String name, int parties, Runnable action);

  ColonyCountDownLatch countDownLatch(String name, long count);

  /** A long Value, initially 0. */
  ColonyAtomicLong atomicLong(String name);

  /**
   * A typed Value: {@code Long}, {@code Double}, {@code String} or {@code byte[]}, initially 0,
   * 0.0, "" or empty.
   */
  <T> ColonyValue<T> value(String name, Class<T> type);

  <K, V> ColonyMap<K, V> map(String name, Class<K> keyType, Class<V> valueType);

  <T> ColonyList<T> list(String name, Class<T> type);

  /**
   * Deletes the named object on the coordinator; its waiters fail with {@code NOT_FOUND}.
   *
   * @return false when no object had that name
   */
  boolean delete(String name);

  /** A pool with default options: unlimited tasks in flight, chunksize 1, 3 retries. */
  Pool pool();

  /** A pool with the given options. Each call returns a new pool over this client's session. */
  Pool pool(PoolOptions options);

  /** A process (not started yet) that runs {@code task} with {@code argument}. */
  <A, R> ColonyProcess<R> process(Class<? extends Task<A, R>> task, A argument);

  /** A process (not started yet) with a name, daemon flag or timeout. */
  <A, R> ColonyProcess<R> process(
      Class<? extends Task<A, R>> task, A argument, ProcessOptions options);

  /**
   * A process (not started yet) that runs the task named {@code taskName} (its class name on the
   * worker), for tools that do not have the class, such as {@code colony submit}. The argument is
   * encoded by its runtime class; the result is decoded by its codec: String, Long, Double... and a
   * Jackson {@code JsonNode} for JSON.
   */
  ColonyProcess<Object> process(String taskName, Object argument, ProcessOptions options);

  /**
   * Cancels task {@code taskId}, whoever submitted it: a queued task never runs, a running one is
   * interrupted on its worker.
   *
   * @return false when the task had finished or is unknown
   */
  boolean cancelTask(long taskId);

  /**
   * Task {@code taskId} as the coordinator sees it now: state, worker, result or error. Empty when
   * it is unknown: the coordinator forgets a task once its result was collected or its submitter
   * left.
   */
  Optional<TaskOutcome> task(long taskId);

  /**
   * One end of the duplex pipe {@code name}: both ends send and receive. Two processes (clients or
   * tasks) open the same name with different sides.
   */
  <T> PipeEnd<T> pipe(String name, Class<T> type, PipeSide side);

  /**
   * One end of a one-way pipe (Python's {@code Pipe(duplex=False)}): side {@link PipeSide#A} only
   * sends, side {@link PipeSide#B} only receives; the other operations throw {@link
   * IllegalStateException}.
   */
  <T> PipeEnd<T> oneWayPipe(String name, Class<T> type, PipeSide side);

  /**
   * The id of this client's session. Together with this client's token it authorises calls in the
   * session: keep it to yourself; status tools show {@link #sessionLabel()} instead.
   */
  String sessionId();

  /** The short label of this client's session, as status, lock info and the dashboard show it. */
  String sessionLabel();

  /**
   * The largest message the coordinator accepts, as it said when this session opened; a call (or a
   * worker's result) over it would reset the stream. 0 if not known.
   */
  default long maxMessageBytes() {
    return 0;
  }

  /**
   * Whether calls can still succeed: false once this client was closed, or once it gave up on its
   * session (the coordinator no longer knew it, or none could be reached within the reconnect
   * timeout). A client that is re-attaching after a blip is still usable. A dead client stays dead:
   * connect a new one.
   */
  default boolean isUsable() {
    return true;
  }

  /**
   * Closes the session cleanly, so the coordinator releases at once what it held (locks, permits,
   * unacknowledged queue items) and cancels its blocked calls, then shuts the channel down.
   * Idempotent; proxies fail with {@link ColonyException} afterwards.
   */
  @Override
  void close();
}
