package dev.colony.client.internal;

import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.Task;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A pool over the client's {@link TaskTracker}. One feeder thread turns the pool's calls, in the
 * order they were made, into TaskSubmit batches of up to {@link #MAX_SPECS_PER_SUBMIT} tasks, never
 * more than the window (the {@code processes} option, else {@link #DEFAULT_WINDOW}) in flight; the
 * tracker's collector hands the outcomes back, which frees the window. Callbacks and futures of
 * applyAsync complete on one callback thread, so a slow callback cannot stall result collection.
 */
final class PoolImpl implements Pool {
  /** Tasks in flight when {@code processes} is unlimited: keeps the workers fed, bounds memory. */
  static final int DEFAULT_WINDOW = 16_384;

  static final int MAX_SPECS_PER_SUBMIT = 1_000;

  /** Under the coordinator's 4 MiB message limit, with room for one large spec past it. */
  static final int MAX_SUBMIT_BYTES = 1 << 20;

  private static final AtomicInteger POOLS = new AtomicInteger();

  private enum State {
    RUNNING,
    SHUT_DOWN,
    TERMINATED
  }

  private final TaskTracker tracker;
  private final PoolOptions options;
  private final Semaphore window;
  private final ThreadPoolExecutor feeder;
  private final ThreadPoolExecutor callbacks;
  private final Set<PoolJob<?>> unfinished = ConcurrentHashMap.newKeySet();
  private final Set<Chunk> inFlight = ConcurrentHashMap.newKeySet();
  private final Object stateLock = new Object();
  private volatile State state = State.RUNNING;

  PoolImpl(TaskTracker tracker, PoolOptions options) {
    this.tracker = tracker;
    this.options = Objects.requireNonNull(options, "options");
    this.window =
        new Semaphore(
            options.getProcesses() == PoolOptions.UNLIMITED
                ? DEFAULT_WINDOW
                : options.getProcesses());
    int number = POOLS.incrementAndGet();
    this.feeder = singleThread("colony-pool-" + number + "-feeder");
    this.callbacks = singleThread("colony-pool-" + number + "-callbacks");
  }

  private static ThreadPoolExecutor singleThread(String name) {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            1,
            1,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, name);
              thread.setDaemon(true);
              return thread;
            });
    // An idle pool holds no thread, so a pool that is never closed leaks nothing.
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  // ---- apply ------------------------------------------------------------------------------

  @Override
  public <A, R> R apply(Class<? extends Task<A, R>> task, A argument) throws InterruptedException {
    return this.<R>single(taskName(task), argument, TaskTypes.resultType(task), null)
        .awaitAll()
        .get(0);
  }

  @Override
  public <R> R apply(String taskName, Object argument, Class<R> resultType)
      throws InterruptedException {
    Objects.requireNonNull(resultType, "resultType");
    PoolJob<R> job = single(checkedName(taskName), argument, resultType, null);
    return job.awaitAll().get(0);
  }

  @Override
  public <A, R> CompletableFuture<R> applyAsync(Class<? extends Task<A, R>> task, A argument) {
    CompletableFuture<R> future = new CompletableFuture<>();
    single(taskName(task), argument, TaskTypes.resultType(task), future);
    return future;
  }

  @Override
  public <R> CompletableFuture<R> applyAsync(
      String taskName, Object argument, Class<R> resultType) {
    Objects.requireNonNull(resultType, "resultType");
    CompletableFuture<R> future = new CompletableFuture<>();
    single(checkedName(taskName), argument, resultType, future);
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
    single(taskName(task), argument, TaskTypes.resultType(task), future);
    return observed;
  }

  private <R> PoolJob<R> single(
      String taskName, Object argument, Class<?> resultType, CompletableFuture<R> future) {
    List<Object> one = new ArrayList<>(1);
    one.add(argument);
    return start(
        new PoolJob<>(
            taskName, resultType, one.iterator(), 1, PoolJob.Order.ORDERED, future, callbacks));
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
    return start(
        new PoolJob<>(
            taskName(task),
            TaskTypes.resultType(task),
            arguments.iterator(),
            chunksize,
            order,
            null,
            callbacks));
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
        feeder.execute(() -> feed(job));
      } catch (RejectedExecutionException e) {
        unfinished.remove(job);
        throw new IllegalStateException("the pool is " + describeState(), e);
      }
    }
    return job;
  }

  /** Submits a job's items in batches as the window allows; runs on the feeder thread. */
  private void feed(PoolJob<?> job) {
    long timeoutMillis = options.getTaskTimeout().toMillis();
    int index = 0;
    try {
      while (true) {
        if (state == State.TERMINATED) {
          job.cancel();
          return;
        }
        int permits = acquireBatch();
        List<TaskSpec> specs = new ArrayList<>(Math.min(permits, 64));
        List<Chunk> chunks = new ArrayList<>(Math.min(permits, 64));
        int bytes = 0;
        int batchStart = index;
        RuntimeException sourceFailure = null;
        boolean more;
        try {
          while (specs.size() < permits && bytes < MAX_SUBMIT_BYTES && job.source.hasNext()) {
            TaskSpec.Builder spec =
                TaskSpec.newBuilder()
                    .setTaskName(job.taskName)
                    .setMaxRetries(options.getMaxRetries())
                    .setTimeoutMs(timeoutMillis);
            int count = 0;
            while (count < job.chunksize && job.source.hasNext()) {
              spec.addArguments(TaskPayloads.encode(job.source.next()));
              count++;
            }
            TaskSpec built = spec.build();
            specs.add(built);
            chunks.add(new Chunk(job, index, count));
            bytes += built.getSerializedSize();
            index += count;
          }
          more = job.source.hasNext();
        } catch (RuntimeException e) {
          // An argument that cannot be encoded, or a failing Iterable: the items before still go.
          sourceFailure = e;
          more = false;
        }
        window.release(permits - specs.size());
        if (!specs.isEmpty()) {
          try {
            tracker.submit(specs, chunks);
          } catch (RuntimeException e) {
            window.release(specs.size());
            job.submitFailed(batchStart, e);
            return;
          }
          if (state == State.TERMINATED) {
            cancelInFlight(); // terminate() ran while this batch was on its way
          }
        }
        if (sourceFailure != null) {
          job.submitFailed(index, sourceFailure);
          return;
        }
        if (!more) {
          job.sourceEnded(index);
          return;
        }
      }
    } catch (InterruptedException e) {
      job.cancel(); // terminate() interrupted the feeder
    }
  }

  /** At least one window permit, and as many more (up to a batch) as are free now. */
  private int acquireBatch() throws InterruptedException {
    window.acquire();
    int extra = Math.min(window.availablePermits(), MAX_SPECS_PER_SUBMIT - 1);
    // Only the feeder acquires, so permits seen free stay free.
    if (extra > 0 && window.tryAcquire(extra)) {
      return 1 + extra;
    }
    return 1;
  }

  /** A submitted task of a job: items {@code first .. first + count - 1}. */
  private final class Chunk implements TaskTracker.Listener {
    private final PoolJob<?> job;
    private final int first;
    private final int count;
    private volatile long taskId;

    Chunk(PoolJob<?> job, int first, int count) {
      this.job = job;
      this.first = first;
      this.count = count;
    }

    @Override
    public void submitted(long taskId) {
      this.taskId = taskId;
      inFlight.add(this);
    }

    @Override
    public void finished(TaskOutcome outcome) {
      inFlight.remove(this);
      window.release();
      job.outcome(first, count, outcome);
    }

    @Override
    public void lost(RuntimeException why) {
      inFlight.remove(this);
      window.release();
      job.failed(first, count, why);
    }
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
    feeder.shutdownNow(); // interrupts a feed waiting for the window; queued feeds never run
    for (PoolJob<?> job : unfinished) {
      job.cancel();
    }
    cancelInFlight();
  }

  private void cancelInFlight() {
    List<Long> ids = new ArrayList<>();
    for (Chunk chunk : inFlight) {
      ids.add(chunk.taskId);
    }
    try {
      tracker.cancel(ids);
    } catch (RuntimeException e) {
      // The client is closing or gone: its session's end stops nothing, but there is no one left
      // to tell; the tasks' results are dropped with the session.
    }
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
    Objects.requireNonNull(taskName, "taskName");
    if (taskName.isBlank()) {
      throw new IllegalArgumentException("a task name must not be blank");
    }
    return taskName;
  }
}
