package dev.colony.client;

import dev.colony.client.internal.CoordinatorTargets;
import dev.colony.client.internal.Loggers;
import dev.colony.client.internal.ReconnectPacer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Channels to a coordinator as {@link ColonyOptions} say: TLS or plaintext, the token on every
 * call, and keep-alive pings. The SDK, workers and the CLI all connect through here, so they agree
 * on how a coordinator is reached.
 *
 * <p>The target may list several coordinators ({@code h1:7070,h2:7070,h3:7070}, the members of a
 * replicated group): the channel connects to the first that answers, and when a follower refuses a
 * call naming the leader, to the leader. The refused call itself fails with UNAVAILABLE; callers
 * retry it as they retry any UNAVAILABLE (see {@link #leaderHint(Throwable)}).
 */
public final class ColonyChannels {
  /** The header that carries the token: {@code authorization: Bearer <token>}. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private ColonyChannels() {}

  /**
   * A channel builder for {@code options.getTarget()}; the caller may add settings and build.
   *
   * @throws IllegalArgumentException when the target is not a comma-separated list of HOST:PORT,
   *     one line per malformed address
   */
  @SuppressWarnings("deprecation") // nameResolverFactory: the one per-channel resolver hook
  public static ManagedChannelBuilder<?> newChannelBuilder(ColonyOptions options) {
    Loggers.beforeTransport();
    CoordinatorTargets targets = CoordinatorTargets.parse(options.getTarget());
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilder(
                targets.channelTarget(),
                options.getTls() == null
                    ? InsecureChannelCredentials.create()
                    : options.getTls().credentials())
            // A half-open connection (a host that vanished) is noticed in seconds, not minutes.
            .keepAliveTime(ColonyOptions.KEEPALIVE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(ColonyOptions.KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveWithoutCalls(true)
            .nameResolverFactory(targets)
            .intercept(targets.leaderHints());
    if (options.getToken() != null) {
      builder.intercept(new TokenInterceptor(options.getToken()));
    }
    return builder;
  }

  /**
   * Builds the channel and keeps its attempts to reach a coordinator that is down at most a second
   * apart (gRPC's own backoff grows to two minutes), so a coordinator that is back is found at
   * once.
   */
  public static ManagedChannel build(ManagedChannelBuilder<?> builder) {
    ManagedChannel channel = builder.build();
    ReconnectPacer.pace(channel);
    return channel;
  }

  /**
   * The leader a refusal named ({@code HOST:PORT}), if {@code failure} is a follower's UNAVAILABLE
   * with a leader trailer: the channel already moves to that leader, so one more try is worth it.
   */
  public static Optional<String> leaderHint(Throwable failure) {
    return CoordinatorTargets.leaderHint(failure);
  }

  /** Sends the token with every call. */
  private static final class TokenInterceptor implements ClientInterceptor {
    private final String header;

    TokenInterceptor(String token) {
      this.header = "Bearer " + token;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(
          next.newCall(method, callOptions)) {
        @Override
        public void start(Listener<RespT> responseListener, Metadata headers) {
          headers.put(AUTHORIZATION, header);
          super.start(responseListener, headers);
        }
      };
    }
  }
}
