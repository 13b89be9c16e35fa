package dev.colony.client.internal;

import dev.colony.client.CoordinatorAddress;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Resolves a channel's coordinators: the whole list (the leader last named first) when the channel
 * starts or asks again after a failed connection, only the leader when a coordinator names it, and
 * the others for a while when one knows of no leader. Host names are looked up on gRPC's offload
 * executor, IP literals at once. Each coordinator is one address group whose authority is its own
 * {@code HOST:PORT}, so TLS checks each one's name.
 *
 * <p>Everything but the look-ups runs in the channel's synchronization context.
 */
final class LeaderResolver extends NameResolver {
  // What InetAddress takes without a look-up: dotted IPv4 or (unbracketed) IPv6.
  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%A-Za-z]*");

  /**
   * How long a member that knows of no leader stays out of the list: longer than an election takes,
   * short enough that a client on the minority side tries it again soon after the others failed.
   */
  private static final long AVOID_NANOS = TimeUnit.SECONDS.toNanos(3);

  private final CoordinatorTargets targets;
  private final SynchronizationContext sync;
  private final Executor offload;

  // Guarded by sync.
  private Listener2 listener;
  private boolean shutdown;
  // Bumped by every resolution started, so a slow look-up cannot override a newer answer.
  private long generation;
  // A member that said it knows of no leader, and until when (System.nanoTime) it stays out of the
  // list: pick_first re-resolves as soon as it drops that member's connection, and would go back.
  private CoordinatorAddress avoided;
  private long avoidedUntilNanos;

  LeaderResolver(CoordinatorTargets targets, Args args) {
    this.targets = targets;
    this.sync = args.getSynchronizationContext();
    Executor given = args.getOffloadExecutor();
    this.offload = given != null ? given : Runnable::run;
  }

  @Override
  public String getServiceAuthority() {
    return targets.addresses().get(0).toString();
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    resolve(wholeList(), false);
  }

  /** pick_first asks again when a connection failed: back to the whole list. */
  @Override
  public void refresh() {
    if (listener != null) {
      resolve(wholeList(), false);
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
    targets.resolverEnded(this);
  }

  /** Called from any thread: a coordinator named the leader. */
  void leaderNamed(CoordinatorAddress leader) {
    sync.execute(
        () -> {
          if (listener != null && !shutdown) {
            avoided = null;
            resolve(List.of(leader), true);
          }
        });
  }

  /**
   * Called from any thread: the member at {@code remote} knows of no leader (it is cut off from the
   * others, or an election is under way). For {@link #AVOID_NANOS} the channel gets the other
   * members only: pick_first keeps a connection whose address is still listed, so the member must
   * leave the list to be left. A leader named meanwhile ends the avoidance.
   */
  void avoid(InetSocketAddress remote) {
    sync.execute(
        () -> {
          if (listener == null || shutdown) {
            return;
          }
          for (CoordinatorAddress address : targets.addresses()) {
            if (address.port() == remote.getPort() && sameHost(address, remote)) {
              avoided = address;
              avoidedUntilNanos = System.nanoTime() + AVOID_NANOS;
              targets.leaderUnknown(address);
              resolve(wholeList(), false);
              return;
            }
          }
        });
  }

  private static boolean sameHost(CoordinatorAddress address, InetSocketAddress remote) {
    String host = address.literalHost();
    return host.equals(remote.getHostString())
        || (remote.getAddress() != null && host.equals(remote.getAddress().getHostAddress()));
  }

  /**
   * The configured coordinators, the leader last named (if any) first, without a member that said
   * it knows of no leader while it is avoided (unless it is the only one).
   */
  private List<CoordinatorAddress> wholeList() {
    if (avoided != null && System.nanoTime() - avoidedUntilNanos > 0) {
      avoided = null;
    }
    CoordinatorAddress leader = targets.leader();
    List<CoordinatorAddress> ordered = new ArrayList<>();
    if (leader != null) {
      ordered.add(leader);
    }
    for (CoordinatorAddress address : targets.addresses()) {
      if (!address.equals(leader) && !address.equals(avoided)) {
        ordered.add(address);
      }
    }
    return ordered.isEmpty() ? targets.addresses() : ordered;
  }

  /**
   * Looks {@code addresses} up and hands them to the channel, unless a newer resolution started
   * meanwhile.
   *
   * @param hint whether this is a named leader alone: it replaces the channel's addresses only if
   *     it resolves (else the channel keeps what it has), and a look-up of it that fails does not
   *     drop a look-up of the whole list under way
   */
  private void resolve(List<CoordinatorAddress> addresses, boolean hint) {
    long resolution = hint ? generation : ++generation;
    if (addresses.stream().allMatch(a -> IP_LITERAL.matcher(a.literalHost()).matches())) {
      emit(resolution, lookUp(addresses), hint);
      return;
    }
    offload.execute(
        () -> {
          Resolved resolved = lookUp(addresses);
          sync.execute(() -> emit(resolution, resolved, hint));
        });
  }

  private void emit(long resolution, Resolved resolved, boolean hint) {
    if (shutdown || resolution != generation || (hint && resolved.groups.isEmpty())) {
      return;
    }
    if (hint) {
      generation++; // what the channel has now is newer than any look-up under way
    }
    if (resolved.groups.isEmpty()) {
      listener.onError(
          Status.UNAVAILABLE.withDescription(
              "no coordinator address resolves: " + String.join("; ", resolved.problems)));
      return;
    }
    listener.onResult(ResolutionResult.newBuilder().setAddresses(resolved.groups).build());
  }

  private static Resolved lookUp(List<CoordinatorAddress> addresses) {
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (CoordinatorAddress address : addresses) {
      try {
        List<SocketAddress> sockets = new ArrayList<>();
        for (InetAddress ip : InetAddress.getAllByName(address.literalHost())) {
          sockets.add(new InetSocketAddress(ip, address.port()));
        }
        groups.add(
            new EquivalentAddressGroup(
                sockets,
                Attributes.newBuilder()
                    .set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, address.toString())
                    .build()));
      } catch (UnknownHostException e) {
        problems.add("unknown host " + address.literalHost() + " in " + address);
      }
    }
    return new Resolved(groups, problems);
  }

  private record Resolved(List<EquivalentAddressGroup> groups, List<String> problems) {}
}
