package dev.colony.client;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link ColonyClient}. Build with {@link #newBuilder()}; every setter
 * states its default.
 */
public final class ColonyOptions {
  /** Where a coordinator listens when nothing else is said. */
  public static final String DEFAULT_TARGET = "127.0.0.1:7070";

  /**
   * How often every channel to a coordinator (clients' and workers') sends a gRPC keep-alive ping,
   * and how long it waits for the answer: a connection to a host that vanished is noticed within
   * their sum instead of the operating system's minutes. Coordinators permit pings this often.
   * Their sum (5 s) is half the default session lease: a client whose leader's host went silent
   * finds the new leader, which restarts every lease when it takes over, well within the lease.
   */
  public static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(3);

  public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(2);

  /** Items or entries an iterator reads per call unless told otherwise. */
  public static final int DEFAULT_PAGE_SIZE = 1_000;

  /** The most the coordinator hands out in one page. */
  public static final int MAX_PAGE_SIZE = 10_000;

  /** Where the SDK, workers and the CLI take a token from when none is given. */
  public static final String TOKEN_ENVIRONMENT_VARIABLE = "COLONY_TOKEN";

  private static final ColonyOptions DEFAULT = newBuilder().build();

  private final String target;
  private final Duration sessionTtl;
  private final String clientName;
  private final Duration connectTimeout;
  private final Duration callTimeout;
  private final Duration reconnectTimeout;
  private final int pageSize;
  private final String token;
  private final ClientTls tls;

  private ColonyOptions(Builder builder) {
    this.target = builder.target;
    this.sessionTtl = builder.sessionTtl;
    this.clientName = builder.clientName;
    this.connectTimeout = builder.connectTimeout;
    this.callTimeout = builder.callTimeout;
    this.reconnectTimeout = builder.reconnectTimeout;
    this.pageSize = builder.pageSize;
    this.token = builder.token;
    this.tls = builder.tls;
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
        .setCallTimeout(callTimeout)
        .setReconnectTimeout(reconnectTimeout)
        .setPageSize(pageSize)
        .setToken(token)
        .setTls(tls);
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

  public Duration getReconnectTimeout() {
    return reconnectTimeout;
  }

  /** How many queue items or map entries an iterator reads per call. */
  public int getPageSize() {
    return pageSize;
  }

  /** The token sent with every call, or null for none. */
  public String getToken() {
    return token;
  }

  /** TLS settings, or null for plaintext. */
  public ClientTls getTls() {
    return tls;
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
        + ", reconnectTimeout="
        + reconnectTimeout
        + ", pageSize="
        + pageSize
        // Never the token itself: options end up in logs.
        + ", token="
        + (token == null ? "none" : "set")
        + ", tls="
        + (tls == null ? "off" : tls)
        + "}";
  }

  /** A mutable builder of {@link ColonyOptions}. */
  public static final class Builder {
    private String target = DEFAULT_TARGET;
    private Duration sessionTtl = Duration.ofSeconds(10);
    private String clientName = "colony-client";
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(30);
    private Duration reconnectTimeout = Duration.ofSeconds(60);
    private int pageSize = DEFAULT_PAGE_SIZE;
    private String token = blankToNull(System.getenv(TOKEN_ENVIRONMENT_VARIABLE));
    private ClientTls tls;

    private Builder() {}

    /**
     * The token sent with every call (role client, or worker for a worker's tasks), for a
     * coordinator that has tokens. Default: the {@value ColonyOptions#TOKEN_ENVIRONMENT_VARIABLE}
     * environment variable, or none. Null sends none.
     */
    public Builder setToken(String token) {
      this.token = blankToNull(token);
      return this;
    }

    /**
     * Reads the token from a file that holds it (its first line that is neither blank nor a {@code
     * #} comment). Keeps it off the command line, where {@code ps} shows it.
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if it holds no token or more than one
     */
    public Builder setTokenFile(Path file) {
      return setToken(TokenFiles.read(file));
    }

    /** Talk TLS to the coordinator with these settings. Default: null, plaintext. */
    public Builder setTls(ClientTls tls) {
      this.tls = tls;
      return this;
    }

    /**
     * The coordinator's {@code host:port}, or a replicated group's members comma-separated ({@code
     * h1:7070,h2:7070,h3:7070}; the client follows the leader). Default {@value
     * ColonyOptions#DEFAULT_TARGET}.
     */
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

    /**
     * How long the client keeps trying to reach the coordinator again after the connection broke (a
     * network blip, a coordinator restart) before it gives up and fails what is in flight with
     * {@link ColonyException.Code#UNAVAILABLE}. Meanwhile calls wait, and in-flight calls are sent
     * again with their ids once it is back, so nothing is applied twice. It gives up sooner if the
     * coordinator says the session is gone. Default 60 s.
     */
    public Builder setReconnectTimeout(Duration reconnectTimeout) {
      this.reconnectTimeout = positive(reconnectTimeout, "reconnectTimeout");
      return this;
    }

    /**
     * How many queue items or map entries an iterator (and everything built on one: {@code
     * contains}, {@code toArray}, {@code removeIf}, a map's views, {@code toString}...) reads from
     * the coordinator per call; a large queue or map is read page by page, never copied whole.
     * Default {@value ColonyOptions#DEFAULT_PAGE_SIZE}; between 1 and {@value
     * ColonyOptions#MAX_PAGE_SIZE}. A page also ends early once it holds about 1 MiB.
     */
    public Builder setPageSize(int pageSize) {
      if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
        throw new IllegalArgumentException(
            "pageSize must be between 1 and " + MAX_PAGE_SIZE + ", was " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    public ColonyOptions build() {
      return new ColonyOptions(this);
    }

    private static String blankToNull(String token) {
      return token == null || token.isBlank() ? null : token.strip();
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
