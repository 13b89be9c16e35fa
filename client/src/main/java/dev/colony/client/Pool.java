package dev.colony.client;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Python's {@code multiprocessing.Pool}, with the worker daemons connected to the coordinator as
 * its processes. Get one from {@link ColonyClient#pool()}; a pool is a view of the client's session
 * that bounds and tracks its own tasks, and many pools can share one client.
 *
 * <p>Work is addressed by task class ({@link Task}); arguments travel encoded with the SDK's codecs
 * and results are decoded into the {@code R} of the class's {@code Task<A, R>} (when {@code R}
 * cannot be resolved, by the payload's codec: String, Long, Integer, Double, …, byte[], or a
 * Jackson {@code JsonNode} for JSON). Submissions go out in batches and results come back in
 * batches, so a map over many small items makes few round trips; {@code chunksize} packs several
 * items into one task (a task also ends at 1 MiB of encoded arguments, so a large chunksize over
 * millions of items still fits the coordinator's message limit).
 *
 * <p>A task that fails makes the call that needs its result throw {@link RemoteTaskException}; the
 * pool's other tasks, including the rest of the same map, still run. Callbacks given to {@link
 * #applyAsync(Class, Object, Consumer, Consumer)} and stages chained on the returned futures run on
 * the pool's callback thread, one at a time.
 *
 * <p>Thread-safe.
 */
public interface Pool extends AutoCloseable {

  /** Runs one task and waits for its result. */
  <A, R> R apply(Class<? extends Task<A, R>> task, A argument) throws InterruptedException;

  /**
   * Runs the task named {@code taskName} (its class's binary name, which need not be on this
   * client's classpath) and decodes its result as {@code resultType}.
   */
  <R> R apply(String taskName, Object argument, Class<R> resultType) throws InterruptedException;

  /** Runs one task; the future completes with its result or a {@link RemoteTaskException}. */
  <A, R> CompletableFuture<R> applyAsync(Class<? extends Task<A, R>> task, A argument);

  /** {@link #applyAsync(Class, Object)} for a task addressed by name. */
  <R> CompletableFuture<R> applyAsync(String taskName, Object argument, Class<R> resultType);

  /**
   * Runs one task and calls {@code callback} with its result or {@code errorCallback} with its
   * failure, on the pool's callback thread.
   */
  <A, R> CompletableFuture<R> applyAsync(
      Class<? extends Task<A, R>> task,
      A argument,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback);

  /**
   * Runs the task once per argument and returns the results in the order of the arguments. Waits
   * for every item; if any failed, throws the {@link RemoteTaskException} of the first failed item
   * once the others are done.
   */
  <A, R> List<R> map(Class<? extends Task<A, R>> task, Iterable<? extends A> arguments)
      throws InterruptedException;

  /** {@link #map(Class, Iterable)} with {@code chunksize} items per task. */
  <A, R> List<R> map(
      Class<? extends Task<A, R>> task, Iterable<? extends A> arguments, int chunksize)
      throws InterruptedException;

  /**
   * {@link #map} for a task whose argument {@code A} is a record: each tuple is turned into an
   * {@code A} through the record's canonical constructor (Python's {@code starmap}).
   */
  <A extends Record, R> List<R> starmap(
      Class<? extends Task<A, R>> task, Iterable<? extends List<?>> tuples)
      throws InterruptedException;

  /**
   * Results in the order of the arguments, each yielded as soon as it and those before it are
   * there. {@code next()} throws the item's {@link RemoteTaskException} at a failed item (later
   * items can still be read), and {@link java.util.concurrent.CancellationException} once the pool
   * was terminated. An interrupt while waiting ends the iteration with a {@link
   * java.util.concurrent.CancellationException} and the thread's interrupt flag set.
   */
  <A, R> Iterator<R> imap(Class<? extends Task<A, R>> task, Iterable<? extends A> arguments);

  /** {@link #imap(Class, Iterable)} with {@code chunksize} items per task. */
  <A, R> Iterator<R> imap(
      Class<? extends Task<A, R>> task, Iterable<? extends A> arguments, int chunksize);

  /** Like {@link #imap(Class, Iterable)}, but yields results in the order they finish. */
  <A, R> Iterator<R> imapUnordered(
      Class<? extends Task<A, R>> task, Iterable<? extends A> arguments);

  /** {@link #imapUnordered(Class, Iterable)} with {@code chunksize} items per task. */
  <A, R> Iterator<R> imapUnordered(
      Class<? extends Task<A, R>> task, Iterable<? extends A> arguments, int chunksize);

  /** This pool's options. */
  PoolOptions options();

  /** Takes no new work; work already given runs to the end. Idempotent. */
  void shutdown();

  /**
   * Cancels this pool's outstanding tasks (queued ones never run, running ones are interrupted on
   * their workers) and takes no new work; waiting calls throw {@link
   * java.util.concurrent.CancellationException}. Idempotent.
   */
  void terminate();

  /**
   * Waits until the work given to the pool has finished. Like Python, it needs {@link #shutdown()}
   * or {@link #terminate()} first.
   *
   * @throws IllegalStateException if the pool still takes work
   */
  void join() throws InterruptedException;

  /** Whether {@link #shutdown()}, {@link #close()} or {@link #terminate()} was called. */
  boolean isShutdown();

  /**
   * Takes no new work, then waits for the work already given to finish (the semantics of {@code
   * ExecutorService.close()}): an interrupt while waiting terminates the pool, and the interrupt
   * flag is set on return.
   */
  @Override
  void close();
}
