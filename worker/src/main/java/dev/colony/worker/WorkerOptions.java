package dev.colony.worker;

import dev.colony.client.ClientTls;
import dev.colony.client.ColonyOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link WorkerDaemon} connects and runs tasks. Immutable; build with {@link #newBuilder}.
 */
public final class WorkerOptions {
  /** Upper bound on slots; the coordinator refuses more. */
  public static final int MAX_SLOTS = 10_000;

  private final String coordinator;
  private final int slots;
  private final int prefetch;
  private final String name;
  private final List<Path> taskJars;
  private final List<String> allowedTasks;
  private final boolean virtualThreads;
  private final Duration drainGrace;
  private final String token;
  private final ClientTls tls;
  private final PrintStream taskLogOutput;
  private final boolean allowCodeFromClients;
  private final Path codeCache;

  private WorkerOptions(Builder builder) {
    this.coordinator = builder.coordinator;
    this.slots = builder.slots;
    this.prefetch = builder.prefetch;
    this.name = builder.name;
    this.taskJars = List.copyOf(builder.taskJars);
    this.allowedTasks = List.copyOf(builder.allowedTasks);
    this.virtualThreads = builder.virtualThreads;
    this.drainGrace = builder.drainGrace;
    this.token = builder.token;
    this.tls = builder.tls;
    this.taskLogOutput = builder.taskLogOutput;
    this.allowCodeFromClients = builder.allowCodeFromClients;
    this.codeCache = builder.codeCache;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** The coordinator's {@code host:port}, or a comma-separated list of them. */
  public String coordinator() {
    return coordinator;
  }

  /** Tasks run at the same time. */
  public int slots() {
    return slots;
  }

  /** Tasks taken beyond the free slots, to start as slots come free. */
  public int prefetch() {
    return prefetch;
  }

  /** Shown in status and logs. */
  public String name() {
    return name;
  }

  /** Jars and folders of jars searched for task classes after the classpath. */
  public List<Path> taskJars() {
    return taskJars;
  }

  /**
   * Patterns of the task classes this worker runs; empty means the classes of its {@link
   * #taskJars()} only. See {@link Builder#addAllowedTasks}.
   */
  public List<String> allowedTasks() {
    return allowedTasks;
  }

  /** Whether tasks may ship their code. See {@link Builder#setAllowCodeFromClients}. */
  public boolean allowCodeFromClients() {
    return allowCodeFromClients;
  }

  /** Where shipped jars are kept, or null for a temporary folder of the worker's own. */
  public Path codeCache() {
    return codeCache;
  }

  public boolean virtualThreads() {
    return virtualThreads;
  }

  /** How long {@link WorkerDaemon#shutdown()} lets running tasks finish. */
  public Duration drainGrace() {
    return drainGrace;
  }

  /** TLS settings for the coordinator, or null for plaintext. */
  public ClientTls tls() {
    return tls;
  }

  /** Where tasks' log lines go: the one set, or else {@code System.err} as it is at each line. */
  public PrintStream taskLogOutput() {
    return taskLogOutput == null ? System.err : taskLogOutput;
  }

  /**
   * How the worker's task stream and its tasks' client reach the coordinator: the address, the
   * token and TLS.
   */
  ColonyOptions connection() {
    ColonyOptions.Builder connection =
        ColonyOptions.newBuilder()
            .setTarget(coordinator)
            .setClientName("colony-worker " + name)
            .setTls(tls);
    if (token != null) {
      connection.setToken(token);
    }
    return connection.build();
  }

  /** The default slot count: one per processor, leaving one for the JVM and the stream. */
  public static int defaultSlots() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }

  @Override
  public String toString() {
    return "WorkerOptions[coordinator="
        + coordinator
        + ", slots="
        + slots
        + ", prefetch="
        + prefetch
        + ", name="
        + name
        + ", taskJars="
        + taskJars
        + ", allowedTasks="
        + allowedTasks
        + ", virtualThreads="
        + virtualThreads
        + ", drainGrace="
        + drainGrace
        + "]";
  }

  public static final class Builder {
    private String coordinator;
    private int slots = defaultSlots();
    private int prefetch;
    private String name;
    private final List<Path> taskJars = new ArrayList<>();
    private final List<String> allowedTasks = new ArrayList<>();
    private boolean virtualThreads;
    private Duration drainGrace = Duration.ofSeconds(30);
    private String token;
    private ClientTls tls;
    private PrintStream taskLogOutput;
    private boolean allowCodeFromClients;
    private Path codeCache;

    private Builder() {}

    /**
     * Runs tasks whose code a client ships ({@code PoolOptions.setCodeJar}, {@code
     * setShipTaskCode}): the worker fetches the jar from the coordinator by SHA-256, checks it,
     * keeps it in its code cache, and loads the task class from it in a class loader of its own per
     * jar. The classes of a shipped jar run whatever {@link #addAllowedTasks} says: this flag is
     * what allows them, so give it only to workers of coordinators whose clients you trust with the
     * worker's JVM. Default: false; such tasks fail with {@code CODE_NOT_ALLOWED}.
     */
    public Builder setAllowCodeFromClients(boolean allow) {
      this.allowCodeFromClients = allow;
      return this;
    }

    /**
     * Where shipped jars are kept, named by hash, across restarts. Default: null, a temporary
     * folder deleted when the worker ends.
     */
    public Builder setCodeCache(Path folder) {
      this.codeCache = folder;
      return this;
    }

    /**
     * Where the lines tasks log through {@code TaskContext.logger()} are printed, each prefixed
     * with its task ({@code [task 42 resize] INFO message}). Default: {@code System.err}, where the
     * {@code colony worker} command logs too.
     */
    public Builder setTaskLogOutput(PrintStream output) {
      this.taskLogOutput = output;
      return this;
    }

    /**
     * The worker's token (role worker): it registers the worker and is what its tasks' shared
     * objects are used with. Default: the {@code COLONY_TOKEN} environment variable, or none.
     */
    public Builder setToken(String token) {
      this.token = token;
      return this;
    }

    /** Talk TLS to the coordinator. Default: null, plaintext. */
    public Builder setTls(ClientTls tls) {
      this.tls = tls;
      return this;
    }

    /**
     * The coordinator's {@code host:port}, or a comma-separated list (a replicated group's members:
     * the worker follows its leader). Required.
     */
    public Builder setCoordinator(String hostAndPort) {
      this.coordinator = Objects.requireNonNull(hostAndPort, "coordinator");
      return this;
    }

    /** Tasks run at the same time; 1 to 10 000. Default: max(1, available processors - 1). */
    public Builder setSlots(int slots) {
      if (slots < 1 || slots > MAX_SLOTS) {
        throw new IllegalArgumentException(
            "slots must be between 1 and " + MAX_SLOTS + ", not " + slots);
      }
      this.slots = slots;
      return this;
    }

    /**
     * Tasks the worker takes beyond its free slots, 0 to 10 000: they wait on the worker and start
     * as slots come free, so a slot need not wait a round trip to the coordinator for its next
     * task, and tasks travel in bigger batches. Worth it for many short tasks (a {@code Pool.map}
     * of small items), like Celery's prefetch; a task taken so waits behind the worker's running
     * ones even if another worker is idle, shows as running on this worker meanwhile (its timeout
     * counts from when it starts), and is queued again if the worker is lost. Default: 0, a worker
     * takes no more tasks than it can start at once.
     */
    public Builder setPrefetch(int prefetch) {
      if (prefetch < 0 || prefetch > MAX_SLOTS) {
        throw new IllegalArgumentException(
            "prefetch must be between 0 and " + MAX_SLOTS + ", not " + prefetch);
      }
      this.prefetch = prefetch;
      return this;
    }

    /** Shown in status and logs. Default: {@code <host>-<pid>}. */
    public Builder setName(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Where task classes are found besides the classpath: a jar, or a folder whose jars (and
     * classes) are used. Replaces earlier jars. Default: none.
     */
    public Builder setTasksPath(Path jarOrFolder) {
      taskJars.clear();
      return addTaskJar(jarOrFolder);
    }

    /** Adds a jar (or folder of jars) to search for task classes. */
    public Builder addTaskJar(Path jarOrFolder) {
      taskJars.add(Objects.requireNonNull(jarOrFolder, "jarOrFolder"));
      return this;
    }

    /**
     * Allows the task classes whose binary names match {@code pattern}: a glob ({@code *} any run
     * of characters but '.', {@code **} any run, {@code ?} one character but '.'), e.g. {@code
     * com.acme.tasks.**}, or a regular expression after {@code regex:}. A task of another class
     * fails at once with {@code TASK_NOT_ALLOWED}. Default: no pattern, which allows only the
     * classes of the {@link #addTaskJar task jars}: any client may name any class on the worker's
     * classpath, so none of those runs unless allowed here.
     */
    public Builder addAllowedTasks(String pattern) {
      allowedTasks.add(Objects.requireNonNull(pattern, "pattern"));
      return this;
    }

    /**
     * Runs each task on its own virtual thread (slots still bound how many run at once). Needs Java
     * 21 or newer: {@link #build()} fails on older runtimes. Default: false (platform threads).
     */
    public Builder setVirtualThreads(boolean virtualThreads) {
      this.virtualThreads = virtualThreads;
      return this;
    }

    /**
     * How long a graceful shutdown waits for running tasks before it interrupts them and hands them
     * back to the coordinator. Default: 30 seconds.
     */
    public Builder setDrainGrace(Duration drainGrace) {
      if (drainGrace.isNegative()) {
        throw new IllegalArgumentException("drain grace must not be negative: " + drainGrace);
      }
      this.drainGrace = drainGrace;
      return this;
    }

    /**
     * @throws IllegalArgumentException without a coordinator address, or for an allowed-tasks
     *     pattern that is not valid
     * @throws UnsupportedOperationException for virtual threads before Java 21
     */
    public WorkerOptions build() {
      if (coordinator == null || coordinator.isBlank()) {
        throw new IllegalArgumentException("the coordinator's host:port is required");
      }
      if (virtualThreads) {
        TaskThreads.requireVirtualThreads();
      }
      TaskAllowList.of(allowedTasks);
      if (name == null) {
        name = WorkerIdentity.localHost() + "-" + WorkerIdentity.localPid();
      }
      return new WorkerOptions(this);
    }
  }
}
