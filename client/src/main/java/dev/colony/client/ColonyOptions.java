package dev.colony.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link ColonyClient}. Build with {@link #newBuilder()}; every setter
 * states its default.
 */
public final class ColonyOptions {
  /** Where a coordinator listens when nothing else is said. */
  public static final String DEFAULT_TARGET = "127.0.0.1:7070";

  private static final ColonyOptions DEFAULT = newBuilder().build();

  private final String target;
  private final Duration sessionTtl;
  private final String clientName;
  private final Duration connectTimeout;
  private final Duration callTimeout;

  private ColonyOptions(Builder builder) {
    this.target = builder.target;
    this.sessionTtl = builder.sessionTtl;
    this.clientName = builder.clientName;
    this.connectTimeout = builder.connectTimeout;
    this.callTimeout = builder.callTimeout;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static ColonyOptions getDefaultInstance() {
    return DEFAULT;
  }

  public Builder toBuilder() {
    return new Builder()
        .setTarget(target)
        .setSessionTtl(sessionTtl)
        .setClientName(clientName)
        .setConnectTimeout(connectTimeout)
        .setCallTimeout(callTimeout);
  }

  /** The coordinator's {@code host:port}. */
  public String getTarget() {
    return target;
  }

  /** The session lease. */
  public Duration getSessionTtl() {
    return sessionTtl;
  }

  public String getClientName() {
    return clientName;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public Duration getCallTimeout() {
    return callTimeout;
  }

  @Override
  public String toString() {
    return "ColonyOptions{target="
        + target
        + ", sessionTtl="
        + sessionTtl
        + ", clientName="
        + clientName
        + ", connectTimeout="
        + connectTimeout
        + ", callTimeout="
        + callTimeout
        + "}";
  }

  /** A mutable builder of {@link ColonyOptions}. */
  public static final class Builder {
    private String target = DEFAULT_TARGET;
    private Duration sessionTtl = Duration.ofSeconds(10);
    private String clientName = "colony-client";
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The coordinator's {@code host:port}. Default {@value ColonyOptions#DEFAULT_TARGET}. */
    public Builder setTarget(String target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /**
     * The session lease. Default 10 s; between 1 s and 1 h. The client renews it with a keep-alive
     * every third of it. When a client dies (crash, network partition, a stuck JVM) the coordinator
     * ends its session once the lease runs out and releases everything it held: locks pass to the
     * next waiter, permits come back, unacknowledged queue items go back to the head of their
     * queue. That is what prevents a dead client from holding a lock forever; a shorter lease frees
     * things sooner but tolerates shorter pauses.
     */
    public Builder setSessionTtl(Duration sessionTtl) {
      Objects.requireNonNull(sessionTtl, "sessionTtl");
      if (sessionTtl.compareTo(Duration.ofSeconds(1)) < 0
          || sessionTtl.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "sessionTtl must be between 1 s and 1 h, was " + sessionTtl);
      }
      this.sessionTtl = sessionTtl;
      return this;
    }

    /** Shown in coordinator status and lock holder descriptions. Default "colony-client". */
    public Builder setClientName(String clientName) {
      this.clientName = Objects.requireNonNull(clientName, "clientName");
      return this;
    }

    /** How long {@link Colony#connect} waits to open the session. Default 10 s. */
    public Builder setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * How long a call that never blocks on the coordinator (a put into an unbounded queue, a map
     * get) may take before it fails with {@link ColonyException.Code#DEADLINE_EXCEEDED}; blocking
     * calls with a timeout wait that timeout plus this margin. Default 30 s.
     */
    public Builder setCallTimeout(Duration callTimeout) {
      this.callTimeout = positive(callTimeout, "callTimeout");
      return this;
    }

    public ColonyOptions build() {
      return new ColonyOptions(this);
    }

    private static Duration positive(Duration duration, String what) {
      Objects.requireNonNull(duration, what);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + duration);
      }
      return duration;
    }
  }
}
