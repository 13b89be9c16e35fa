package dev.colony.client.internal;

import dev.colony.client.PoolOptions;
import dev.colony.proto.v1.NoWorkerWarning;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * Feeds a pool's jobs to the coordinator: one feeder thread turns them, in the order they were
 * started, into TaskSubmit batches of up to {@link #MAX_SPECS_PER_SUBMIT} tasks, never more than
 * the window (the {@code processes} option, else {@link #DEFAULT_WINDOW}) in flight; the tracker's
 * collector hands the outcomes back, which frees the window.
 */
final class PoolFeeder {
  private static final Logger log = Loggers.get("dev.colony.client.Pool");

  /** Tasks in flight when {@code processes} is unlimited: keeps the workers fed, bounds memory. */
  static final int DEFAULT_WINDOW = 16_384;

  static final int MAX_SPECS_PER_SUBMIT = 1_000;

  /** Under the coordinator's 4 MiB message limit, with room for one large spec past it. */
  static final int MAX_SUBMIT_BYTES = 1 << 20;

  private final TaskTracker tracker;
  private final PoolOptions options;
  private final BooleanSupplier terminated;
  private final Semaphore window;
  private final ThreadPoolExecutor feeder;
  private final Set<Chunk> inFlight = ConcurrentHashMap.newKeySet();
  private final String threadName;
  // Once per pool: the warning repeats on every wait while the tasks stay stuck.
  private final AtomicBoolean warnedNoWorker = new AtomicBoolean();

  PoolFeeder(
      TaskTracker tracker, PoolOptions options, String threadName, BooleanSupplier terminated) {
    this.tracker = tracker;
    this.options = options;
    this.terminated = terminated;
    this.threadName = threadName;
    this.window =
        new Semaphore(
            options.getProcesses() == PoolOptions.UNLIMITED
                ? DEFAULT_WINDOW
                : options.getProcesses());
    this.feeder = singleThread(threadName);
  }

  /**
   * Feeds {@code job} on the feeder thread, after the jobs before it.
   *
   * @throws RejectedExecutionException once the feeder was stopped
   */
  void feed(PoolJob<?> job) {
    feeder.execute(() -> feedNow(job));
  }

  /** Interrupts a feed waiting for the window; feeds not started never run. */
  void stop() {
    feeder.shutdownNow();
  }

  /** Lets the feeds already started finish, then lets the thread go. */
  void shutdown() {
    feeder.shutdown();
  }

  void cancelInFlight() {
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

  /** Submits a job's items in batches as the window allows; runs on the feeder thread. */
  private void feedNow(PoolJob<?> job) {
    long timeoutMillis = options.getTaskTimeout().toMillis();
    long noWorkerTimeoutMillis = options.getNoWorkerTimeout().toMillis();
    int index = 0;
    try {
      while (true) {
        if (terminated.getAsBoolean()) {
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
                    .setCodeSha256(job.codeSha256)
                    .setMaxRetries(options.getMaxRetries())
                    .setTimeoutMs(timeoutMillis)
                    .setNoWorkerTimeoutMs(noWorkerTimeoutMillis);
            List<Payload> items = new ArrayList<>(Math.min(job.chunksize, 1_024));
            int chunkBytes = 0;
            // A chunk ends early at MAX_SUBMIT_BYTES: a default chunksize over millions of items
            // would otherwise make a task larger than the coordinator takes in one message.
            while (items.size() < job.chunksize
                && chunkBytes < MAX_SUBMIT_BYTES
                && job.source.hasNext()) {
              Payload argument = TaskPayloads.encode(job.source.next());
              items.add(argument);
              chunkBytes += argument.getSerializedSize();
            }
            int count = items.size();
            if (count > 1) {
              // Packed: the coordinator passes a chunk to the worker without parsing its items.
              spec.setPackedArguments(TaskPayloads.pack(items));
            } else {
              spec.addAllArguments(items);
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
          if (terminated.getAsBoolean()) {
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

    @Override
    public void noWorker(NoWorkerWarning warning) {
      if (warnedNoWorker.compareAndSet(false, true)) {
        log.warn(
            "{}: {}{}",
            threadName.replace("-feeder", ""),
            warning.getMessage(),
            options.getNoWorkerTimeout().isZero()
                ? " (they wait until one comes; PoolOptions.setNoWorkerTimeout makes them fail)"
                : "");
      }
    }
  }

  /** One thread that runs what it is given in order, and holds no thread while idle. */
  static ThreadPoolExecutor singleThread(String name) {
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
}
