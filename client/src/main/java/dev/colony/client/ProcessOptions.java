package dev.colony.client;

import java.nio.file.Path;
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
  private final Path codeJar;
  private final boolean shipTaskCode;

  private ProcessOptions(Builder builder) {
    this.name = builder.name;
    this.daemon = builder.daemon;
    this.timeout = builder.timeout;
    this.noWorkerTimeout = builder.noWorkerTimeout;
    this.codeJar = builder.codeJar;
    this.shipTaskCode = builder.shipTaskCode;
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
    private Path codeJar;
    private boolean shipTaskCode;

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

    public ProcessOptions build() {
      return new ProcessOptions(this);
    }
  }
}
