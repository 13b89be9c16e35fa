package dev.colony.client.internal;

import dev.colony.client.CoordinatorAddress;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The coordinators one channel may talk to, and which of them leads. A replicated coordinator group
 * serves only on its leader; a follower refuses every call with UNAVAILABLE and names the leader in
 * a {@value #LEADER_TRAILER_NAME} trailer. The channel resolves its target through {@link
 * LeaderResolver}, which hands gRPC's pick_first the whole list; {@link #leaderHints()} sees a
 * refusal that names the leader and has the resolver hand over that address alone, so pick_first
 * drops the follower and connects to the leader. A member that knows of no leader (cut off from the
 * others, or during an election) says so in a {@code colony-no-leader} trailer, and the resolver
 * leaves it out of the list for a few seconds, so the channel moves to the others. When a
 * connection fails, pick_first asks the resolver again and gets the whole list back, the leader
 * last named first.
 *
 * <p>One instance per channel: it is the channel's name resolver factory.
 */
public final class CoordinatorTargets extends NameResolverProvider {
  public static final String LEADER_TRAILER_NAME = "colony-leader";

  /** The trailer a follower names the leader's client address in, as {@code HOST:PORT}. */
  public static final Metadata.Key<String> LEADER_TRAILER =
      Metadata.Key.of(LEADER_TRAILER_NAME, Metadata.ASCII_STRING_MARSHALLER);

  /** The trailer of a member that knows of no leader; the SDK then tries another member. */
  public static final Metadata.Key<String> NO_LEADER_TRAILER =
      Metadata.Key.of("colony-no-leader", Metadata.ASCII_STRING_MARSHALLER);

  static final String SCHEME = "colony-coordinators";

  private final List<CoordinatorAddress> addresses;
  // The leader a coordinator named last, or null; kept here so a resolver the channel creates
  // anew (after idling) starts from it.
  private volatile CoordinatorAddress leader;
  private volatile LeaderResolver current;

  private CoordinatorTargets(List<CoordinatorAddress> addresses) {
    this.addresses = addresses;
  }

  /**
   * The coordinators of a comma-separated {@code HOST:PORT} list.
   *
   * @throws IllegalArgumentException with one line per malformed address
   */
  public static CoordinatorTargets parse(String target) {
    return new CoordinatorTargets(CoordinatorAddress.parseList(target));
  }

  public List<CoordinatorAddress> addresses() {
    return addresses;
  }

  /**
   * The target to build the channel for; this factory is the only one that understands it, and
   * reads nothing from it (the addresses are in the path only for gRPC's log lines, when they fit
   * in a URI).
   */
  public String channelTarget() {
    String joined = addresses.stream().map(Object::toString).collect(Collectors.joining(","));
    return SCHEME + ":///" + (joined.contains("[") ? "coordinators" : joined);
  }

  /** Sees refusals that name the leader, and points the channel at it. */
  public ClientInterceptor leaderHints() {
    return new LeaderHints();
  }

  /**
   * The leader a refusal named, if {@code failure} is an UNAVAILABLE whose trailers name one.
   * Commands that make one call use it to decide whether to try once more.
   */
  public static Optional<String> leaderHint(Throwable failure) {
    Status status = Status.fromThrowable(failure);
    Metadata trailers = Status.trailersFromThrowable(failure);
    if (status.getCode() != Status.Code.UNAVAILABLE || trailers == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(trailers.get(LEADER_TRAILER));
  }

  CoordinatorAddress leader() {
    return leader;
  }

  /** A coordinator said {@code hostPort} leads; a malformed hint is ignored. */
  void leaderNamed(String hostPort) {
    CoordinatorAddress named;
    try {
      named = CoordinatorAddress.parse(hostPort.strip());
    } catch (IllegalArgumentException e) {
      return;
    }
    leader = named;
    LeaderResolver resolver = current;
    if (resolver != null) {
      resolver.leaderNamed(named);
    }
  }

  /**
   * The member at {@code remote} knows of no leader: point the channel at the others, so a client
   * attached to a member cut off from the rest finds the new leader instead of waiting for the cut
   * to heal (and outliving its lease meanwhile).
   */
  void knowsNoLeader(SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress socket) || addresses.size() < 2) {
      return;
    }
    LeaderResolver resolver = current;
    if (resolver != null) {
      resolver.avoid(socket);
    }
  }

  /** The member at {@code address} knows of no leader: if it was named the leader, forget that. */
  void leaderUnknown(CoordinatorAddress address) {
    if (address.equals(leader)) {
      leader = null;
    }
  }

  void resolverEnded(LeaderResolver resolver) {
    if (current == resolver) {
      current = null;
    }
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    LeaderResolver resolver = new LeaderResolver(this, args);
    current = resolver;
    return resolver;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  /** Reads the leader trailer of every call that closes UNAVAILABLE. */
  private final class LeaderHints implements ClientInterceptor {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(
          next.newCall(method, callOptions)) {
        @Override
        public void start(Listener<RespT> responseListener, Metadata headers) {
          super.start(
              new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
                  responseListener) {
                @Override
                public void onClose(Status status, Metadata trailers) {
                  if (status.getCode() == Status.Code.UNAVAILABLE) {
                    String hint = trailers.get(LEADER_TRAILER);
                    if (hint != null) {
                      leaderNamed(hint);
                    } else if (trailers.containsKey(NO_LEADER_TRAILER)) {
                      knowsNoLeader(getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
                    }
                  }
                  super.onClose(status, trailers);
                }
              },
              headers);
        }
      };
    }
  }
}
