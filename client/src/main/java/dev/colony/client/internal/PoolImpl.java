package dev.colony.client.internal;

import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A pool over the client's {@link TaskTracker}: the {@link Pool} calls, their jobs, and the pool's
 * life (running, shut down, terminated). A {@link PoolFeeder} submits the jobs' items within the
 * pool's window. Callbacks and futures of applyAsync complete on one callback thread, so a slow
 * callback cannot stall result collection.
 */
final class PoolImpl implements Pool {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private enum State {
    RUNNING,
    SHUT_DOWN,
    TERMINATED
  }

  private final TaskTracker tracker;
  private final PoolOptions options;
  private final PoolFeeder feeder;
  private final ThreadPoolExecutor callbacks;
  private final Set<PoolJob<?>> unfinished = ConcurrentHashMap.newKeySet();
  private final Object stateLock = new Object();
  private volatile State state = State.RUNNING;

  PoolImpl(TaskTracker tracker, PoolOptions options) {
    this.tracker = tracker;
    this.options = Objects.requireNonNull(options, "options");
    int number = POOLS.incrementAndGet();
    this.feeder =
        new PoolFeeder(
            tracker, options, "colony-pool-" + number + "-feeder", () -> state == State.TERMINATED);
    this.callbacks = PoolFeeder.singleThread("colony-pool-" + number + "-callbacks");
  }

  // ---- apply ------------------------------------------------------------------------------

  @Override
  public <A, R> R apply(Class<? extends Task<A, R>> task, A argument) throws InterruptedException {
    return this.<R>single(task, taskName(task), argument, TaskTypes.resultType(task), null)
        .awaitAll()
        .get(0);
  }

  @Override
  public <R> R apply(String taskName, Object argument, Class<R> resultType)
      throws InterruptedException {
    Objects.requireNonNull(resultType, "resultType");
    PoolJob<R> job = single(null, checkedName(taskName), argument, resultType, null);
    return job.awaitAll().get(0);
  }

  @Override
  public <A, R> CompletableFuture<R> applyAsync(Class<? extends Task<A, R>> task, A argument) {
    CompletableFuture<R> future = new CompletableFuture<>();
    single(task, taskName(task), argument, TaskTypes.resultType(task), future);
    return future;
  }

  @Override
  public <R> CompletableFuture<R> applyAsync(
      String taskName, Object argument, Class<R> resultType) {
    Objects.requireNonNull(resultType, "resultType");
    CompletableFuture<R> future = new CompletableFuture<>();
    single(null, checkedName(taskName), argument, resultType, future);
    return future;
  }

  @Override
  public <A, R> CompletableFuture<R> applyAsync(
      Class<? extends Task<A, R>> task,
      A argument,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback) {
    CompletableFuture<R> future = new CompletableFuture<>();
    // Registered before the job starts, so the callbacks run on the callback thread.
    CompletableFuture<R> observed =
        future.whenComplete(
            (result, error) -> {
              if (error == null) {
                if (callback != null) {
                  callback.accept(result);
                }
              } else if (errorCallback != null) {
                errorCallback.accept(error);
              }
            });
    single(task, taskName(task), argument, TaskTypes.resultType(task), future);
    return observed;
  }

  private <R> PoolJob<R> single(
      Class<?> task,
      String taskName,
      Object argument,
      Class<?> resultType,
      CompletableFuture<R> future) {
    List<Object> one = new ArrayList<>(1);
    one.add(argument);
    PoolJob<R> job =
        new PoolJob<>(
            taskName, resultType, one.iterator(), 1, PoolJob.Order.ORDERED, future, callbacks);
    job.codeSha256 = shipCode(task);
    return start(job);
  }

  /** Uploads the pool's shipped code (once per client and hash); "" when it ships none. */
  private String shipCode(Class<?> task) {
    return tracker.code.ship(options.getCodeJar(), options.isShipTaskCode(), task);
  }

  // ---- map --------------------------------------------------------------------------------

  @Override
  public <A, R> List<R> map(Class<? extends Task<A, R>> task, Iterable<? extends A> arguments)
      throws InterruptedException {
    return map(task, arguments, options.getChunksize());
  }

  @Override
  public <A, R> List<R> map(
      Class<? extends Task<A, R>> task, Iterable<? extends A> arguments, int chunksize)
      throws InterruptedException {
    return this.<R>many(task, arguments, chunksize, PoolJob.Order.ORDERED).awaitAll();
  }

  @Override
  public <A extends Record, R> List<R> starmap(
      Class<? extends Task<A, R>> task, Iterable<? extends List<?>> tuples)
      throws InterruptedException {
    List<Object> records = StarmapRecords.of(task, tuples);
    return this.<R>many(task, records, options.getChunksize(), PoolJob.Order.ORDERED).awaitAll();
  }

  @Override
  public <A, R> Iterator<R> imap(
      Class<? extends Task<A, R>> task, Iterable<? extends A> arguments) {
    return imap(task, arguments, options.getChunksize());
  }

  @Override
  public <A, R> Iterator<R> imap(
      Class<? extends Task<A, R>> task, Iterable<? extends A> arguments, int chunksize) {
    return this.<R>many(task, arguments, chunksize, PoolJob.Order.ORDERED).iterator();
  }

  @Override
  public <A, R> Iterator<R> imapUnordered(
      Class<? extends Task<A, R>> task, Iterable<? extends A> arguments) {
    return imapUnordered(task, arguments, options.getChunksize());
  }

  @Override
  public <A, R> Iterator<R> imapUnordered(
      Class<? extends Task<A, R>> task, Iterable<? extends A> arguments, int chunksize) {
    return this.<R>many(task, arguments, chunksize, PoolJob.Order.UNORDERED).iterator();
  }

  private <R> PoolJob<R> many(
      Class<?> task, Iterable<?> arguments, int chunksize, PoolJob.Order order) {
    Objects.requireNonNull(arguments, "arguments");
    if (chunksize < 1) {
      throw new IllegalArgumentException("chunksize must be 1 or more: " + chunksize);
    }
    PoolJob<R> job =
        new PoolJob<>(
            taskName(task),
            TaskTypes.resultType(task),
            arguments.iterator(),
            chunksize,
            order,
            null,
            callbacks);
    job.codeSha256 = shipCode(task);
    return start(job);
  }

  // ---- feeding ----------------------------------------------------------------------------

  private <R> PoolJob<R> start(PoolJob<R> job) {
    synchronized (stateLock) {
      if (state != State.RUNNING) {
        throw new IllegalStateException("the pool is " + describeState() + "; it takes no work");
      }
      unfinished.add(job);
      job.done().whenComplete((ignored, error) -> unfinished.remove(job));
      try {
        feeder.feed(job);
      } catch (RejectedExecutionException e) {
        unfinished.remove(job);
        throw new IllegalStateException("the pool is " + describeState(), e);
      }
    }
    return job;
  }

  // ---- lifecycle --------------------------------------------------------------------------

  @Override
  public PoolOptions options() {
    return options;
  }

  @Override
  public void shutdown() {
    synchronized (stateLock) {
      if (state == State.RUNNING) {
        state = State.SHUT_DOWN;
      }
    }
  }

  @Override
  public void terminate() {
    synchronized (stateLock) {
      if (state == State.TERMINATED) {
        return;
      }
      state = State.TERMINATED;
    }
    feeder.stop(); // interrupts a feed waiting for the window; queued feeds never run
    for (PoolJob<?> job : unfinished) {
      job.cancel();
    }
    feeder.cancelInFlight();
  }

  @Override
  public void join() throws InterruptedException {
    if (state == State.RUNNING) {
      throw new IllegalStateException("call shutdown() or terminate() before join()");
    }
    for (PoolJob<?> job : List.copyOf(unfinished)) {
      try {
        job.done().get();
      } catch (ExecutionException e) {
        throw new AssertionError("a job's done future never fails", e);
      }
    }
    // Futures and callbacks complete on the callback thread, in order: wait for those queued.
    CompletableFuture<Void> callbacksRan = new CompletableFuture<>();
    callbacks.execute(() -> callbacksRan.complete(null));
    try {
      callbacksRan.get();
    } catch (ExecutionException e) {
      throw new AssertionError("completing a future never fails", e);
    }
  }

  @Override
  public boolean isShutdown() {
    return state != State.RUNNING;
  }

  @Override
  public void close() {
    shutdown();
    try {
      join();
    } catch (InterruptedException e) {
      terminate();
      Thread.currentThread().interrupt();
    }
    feeder.shutdown();
  }

  private String describeState() {
    return state == State.TERMINATED ? "terminated" : "shut down";
  }

  @Override
  public String toString() {
    return "Pool[" + options + ", " + describeState(state) + "]";
  }

  private static String describeState(State state) {
    return state.name().toLowerCase(java.util.Locale.ROOT);
  }

  // ---- names ------------------------------------------------------------------

  private static String taskName(Class<?> task) {
    Objects.requireNonNull(task, "task");
    return task.getName();
  }

  private static String checkedName(String taskName) {
    Names.requireValid("a task name", taskName);
    if (taskName.isBlank()) {
      throw new IllegalArgumentException("a task name must not be blank");
    }
    return taskName;
  }
}
