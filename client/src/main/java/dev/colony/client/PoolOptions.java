package dev.colony.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link Pool}. Build with {@link #newBuilder()}; every setter states its
 * default.
 */
public final class PoolOptions {
  /** Unlimited tasks in flight (bounded only by the pool's internal submission window). */
  public static final int UNLIMITED = 0;

  private static final PoolOptions DEFAULT = newBuilder().build();

  private final int processes;
  private final int chunksize;
  private final int maxRetries;
  private final Duration taskTimeout;
  private final Duration noWorkerTimeout;
  private final Path codeJar;
  private final boolean shipTaskCode;

  private PoolOptions(Builder builder) {
    this.processes = builder.processes;
    this.chunksize = builder.chunksize;
    this.maxRetries = builder.maxRetries;
    this.taskTimeout = builder.taskTimeout;
    this.noWorkerTimeout = builder.noWorkerTimeout;
    this.codeJar = builder.codeJar;
    this.shipTaskCode = builder.shipTaskCode;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static PoolOptions getDefaultInstance() {
    return DEFAULT;
  }

  /** Most tasks of this pool queued or running at once; {@link #UNLIMITED} for no limit. */
  public int getProcesses() {
    return processes;
  }

  /** Items per task for {@code map}, {@code imap} and {@code starmap} without a chunksize. */
  public int getChunksize() {
    return chunksize;
  }

  /** Times a task runs again after its worker was lost. */
  public int getMaxRetries() {
    return maxRetries;
  }

  /** Time limit of one task; {@link Duration#ZERO} for none. */
  public Duration getTaskTimeout() {
    return taskTimeout;
  }

  /**
   * How long a task waits queued with no worker able to run it before it fails with {@code
   * NO_WORKER}; {@link Duration#ZERO} to wait as long as it takes.
   */
  public Duration getNoWorkerTimeout() {
    return noWorkerTimeout;
  }

  /**
   * The jar (or folder of classes) shipped with the tasks, or null. See {@link Builder#setCodeJar}.
   */
  public Path getCodeJar() {
    return codeJar;
  }

  /** Whether the task class's own jar is shipped. See {@link Builder#setShipTaskCode}. */
  public boolean isShipTaskCode() {
    return shipTaskCode;
  }

  @Override
  public String toString() {
    return "PoolOptions{processes="
        + (processes == UNLIMITED ? "unlimited" : processes)
        + ", chunksize="
        + chunksize
        + ", maxRetries="
        + maxRetries
        + ", taskTimeout="
        + taskTimeout
        + ", noWorkerTimeout="
        + noWorkerTimeout
        + "}";
  }

  /** A mutable builder of {@link PoolOptions}. */
  public static final class Builder {
    private int processes = UNLIMITED;
    private int chunksize = 1;
    private int maxRetries = 3;
    private Duration taskTimeout = Duration.ZERO;
    private Duration noWorkerTimeout = Duration.ZERO;
    private Path codeJar;
    private boolean shipTaskCode;

    private Builder() {}

    /**
     * The most tasks of this pool queued or running at once, like the size of a Python pool.
     * Default {@link #UNLIMITED}: as many as the workers take.
     */
    public Builder setProcesses(int processes) {
      if (processes < 0) {
        throw new IllegalArgumentException("processes must be 0 (unlimited) or more: " + processes);
      }
      this.processes = processes;
      return this;
    }

    /** Items carried by one task when a map is given no chunksize. Default 1. */
    public Builder setChunksize(int chunksize) {
      if (chunksize < 1) {
        throw new IllegalArgumentException("chunksize must be 1 or more: " + chunksize);
      }
      this.chunksize = chunksize;
      return this;
    }

    /**
     * Times a task is queued again after its worker died or left; past that it fails with reason
     * {@code WORKER_LOST}. Default 3.
     */
    public Builder setMaxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be 0 or more: " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * Time limit of one task (one chunk) on its worker, past which it is interrupted and fails with
     * reason {@code TASK_TIMED_OUT}. Default {@link Duration#ZERO}: no limit.
     */
    public Builder setTaskTimeout(Duration taskTimeout) {
      Objects.requireNonNull(taskTimeout, "taskTimeout");
      if (taskTimeout.isNegative()) {
        throw new IllegalArgumentException("taskTimeout must not be negative: " + taskTimeout);
      }
      this.taskTimeout = taskTimeout;
      return this;
    }

    /**
     * How long a task may wait queued while no worker able to run it is connected (none at all, or
     * every one draining); past it the task fails with reason {@code NO_WORKER} and a message
     * saying to start a worker, so {@code map} throws instead of waiting for good. The wait counts
     * from when the task was queued, or from when the last able worker left if that is later; a
     * worker that is connected but busy counts as able. Default {@link Duration#ZERO}: wait as long
     * as it takes (the coordinator's status and this SDK's log warn after 10 s).
     */
    public Builder setNoWorkerTimeout(Duration noWorkerTimeout) {
      this.noWorkerTimeout = Durations.checkTimeout(noWorkerTimeout, "noWorkerTimeout");
      return this;
    }

    /**
     * Ships this jar (or folder of compiled classes, zipped in memory) with every task: the client
     * uploads it to the coordinator once (by SHA-256), and a worker started with {@code
     * --allow-code-from-clients} loads the task class from it, in a class loader of its own per
     * jar, so two versions of a class run side by side. A worker without that flag fails the task
     * with {@code CODE_NOT_ALLOWED}. Default: null, the task class must be on the worker.
     */
    public Builder setCodeJar(Path jarOrClassesFolder) {
      this.codeJar = jarOrClassesFolder;
      return this;
    }

    /**
     * Ships the jar (or classes folder) the task class was loaded from, found from its code source,
     * as {@link #setCodeJar} does. Only for tasks given as a class; a {@link #setCodeJar} wins.
     * Default: false.
     */
    public Builder setShipTaskCode(boolean shipTaskCode) {
      this.shipTaskCode = shipTaskCode;
      return this;
    }

    public PoolOptions build() {
      return new PoolOptions(this);
    }
  }
}
