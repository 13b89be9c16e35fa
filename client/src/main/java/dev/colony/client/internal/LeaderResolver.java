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
import java.util.regex.Pattern;

/**
 * Resolves a channel's coordinators: the whole list (the leader last named first) when the channel
 * starts or asks again after a failed connection, only the leader when a coordinator names it. Host
 * names are looked up on gRPC's offload executor, IP literals at once. Each coordinator is one
 * address group whose authority is its own {@code HOST:PORT}, so TLS checks each one's name.
 *
 * <p>Everything but the look-ups runs in the channel's synchronization context.
 */
final class LeaderResolver extends NameResolver {
  // What InetAddress takes without a look-up: dotted IPv4 or (unbracketed) IPv6.
  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%A-Za-z]*");

  private final CoordinatorTargets targets;
  private final SynchronizationContext sync;
  private final Executor offload;

  // Guarded by sync.
  private Listener2 listener;
  private boolean shutdown;
  // Bumped by every resolution started, so a slow look-up cannot override a newer answer.
  private long generation;

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
            resolve(List.of(leader), true);
          }
        });
  }

  /** The configured coordinators, the leader last named (if any) first. */
  private List<CoordinatorAddress> wholeList() {
    CoordinatorAddress leader = targets.leader();
    List<CoordinatorAddress> ordered = new ArrayList<>();
    if (leader != null) {
      ordered.add(leader);
    }
    for (CoordinatorAddress address : targets.addresses()) {
      if (!address.equals(leader)) {
        ordered.add(address);
      }
    }
    return ordered;
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
