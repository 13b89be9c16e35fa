package dev.colony.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link ColonyProcess}. Build with {@link #newBuilder()}; every setter
 * states its default.
 */
public final class ProcessOptions {
  private static final ProcessOptions DEFAULT = newBuilder().build();

  private final String name;
  private final boolean daemon;
  private final Duration timeout;
  private final Duration noWorkerTimeout;

  private ProcessOptions(Builder builder) {
    this.name = builder.name;
    this.daemon = builder.daemon;
    this.timeout = builder.timeout;
    this.noWorkerTimeout = builder.noWorkerTimeout;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static ProcessOptions getDefaultInstance() {
    return DEFAULT;
  }

  /** The process name, or null for the default. */
  public String getName() {
    return name;
  }

  public boolean isDaemon() {
    return daemon;
  }

  /** Time limit of the task; {@link Duration#ZERO} for none. */
  public Duration getTimeout() {
    return timeout;
  }

  /**
   * How long the task waits queued with no worker able to run it before it fails with {@code
   * NO_WORKER}; {@link Duration#ZERO} to wait as long as it takes.
   */
  public Duration getNoWorkerTimeout() {
    return noWorkerTimeout;
  }

  @Override
  public String toString() {
    return "ProcessOptions{name="
        + name
        + ", daemon="
        + daemon
        + ", timeout="
        + timeout
        + ", noWorkerTimeout="
        + noWorkerTimeout
        + "}";
  }

  /** A mutable builder of {@link ProcessOptions}. */
  public static final class Builder {
    private String name;
    private boolean daemon;
    private Duration timeout = Duration.ZERO;
    private Duration noWorkerTimeout = Duration.ZERO;

    private Builder() {}

    /**
     * Shown in coordinator status and given to the task ({@link TaskContext#name()}). Default: the
     * task class's simple name and a number, e.g. "Crunch-1".
     */
    public Builder setName(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * A daemon process is cancelled when the client that started it closes or its session ends
     * (Python's daemonic processes are killed when their parent exits). Default false: it runs to
     * the end even if its submitter is gone.
     */
    public Builder setDaemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /**
     * Time limit of the task on its worker; past it the task is interrupted and the process ends
     * with exit code 1. Default {@link Duration#ZERO}: none.
     */
    public Builder setTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must not be negative: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * How long the task may wait queued while no worker able to run it is connected; past it the
     * process ends with exit code 1 and a {@code NO_WORKER} failure saying to start a worker.
     * Default {@link Duration#ZERO}: wait as long as it takes (see {@link
     * PoolOptions.Builder#setNoWorkerTimeout}).
     */
    public Builder setNoWorkerTimeout(Duration noWorkerTimeout) {
      this.noWorkerTimeout = Durations.checkTimeout(noWorkerTimeout, "noWorkerTimeout");
      return this;
    }

    public ProcessOptions build() {
      return new ProcessOptions(this);
    }
  }
}
