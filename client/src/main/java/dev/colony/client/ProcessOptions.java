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

  private ProcessOptions(Builder builder) {
    this.name = builder.name;
    this.daemon = builder.daemon;
    this.timeout = builder.timeout;
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

  @Override
  public String toString() {
    return "ProcessOptions{name=" + name + ", daemon=" + daemon + ", timeout=" + timeout + "}";
  }

  /** A mutable builder of {@link ProcessOptions}. */
  public static final class Builder {
    private String name;
    private boolean daemon;
    private Duration timeout = Duration.ZERO;

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

    public ProcessOptions build() {
      return new ProcessOptions(this);
    }
  }
}
