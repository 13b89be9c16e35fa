package dev.colony.it.support;

import static org.awaitility.Awaitility.await;

import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.ClusterStatus;
import dev.colony.proto.v1.StatusRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real coordinator JVMs as one replicated group ({@code colony coordinator --node-id ID --peers ...
 * --data-dir DIR/ID --port 0}), on loopback or each in its own namespace of a {@link TestNetwork};
 * {@link #close()} stops those still running.
 */
public final class CoordinatorGroup implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("Colony coordinator listening on (\\S+):(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** The failure line of a coordinator that could not bind its port (ListenOptions). */
  private static final String CANNOT_LISTEN = "colony coordinator: ";

  /** How long a restart keeps trying while the old client port is still taken. */
  private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(30);

  /** Elections take a couple of seconds; a loaded machine may need a few rounds. */
  public static final Duration LEADER_TIMEOUT = Duration.ofSeconds(90);

  private final Path dataDir;
  private final List<String> extraArgs;
  private final Map<String, String> raftAddresses = new LinkedHashMap<>();
  private final Map<String, JavaProcess> processes = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, String> hosts = new LinkedHashMap<>();
  private final Map<String, List<String>> commandPrefixes = new LinkedHashMap<>();
  private final TestNetwork network;

  /** The Raft port of a node in a namespace of its own: nothing else there takes it. */
  private static final int NAMESPACE_RAFT_PORT = 7081;

  private CoordinatorGroup(Path dataDir, List<String> extraArgs, TestNetwork network) {
    this.dataDir = dataDir;
    this.extraArgs = extraArgs;
    this.network = network;
  }

  /** Starts nodes n1..n{@code size} with {@code extraArgs} each, and waits until they listen. */
  public static CoordinatorGroup start(int size, Path dataDir, String... extraArgs)
      throws IOException, TimeoutException {
    CoordinatorGroup group = new CoordinatorGroup(dataDir, List.of(extraArgs), null);
    for (int i = 1; i <= size; i++) {
      String id = "n" + i;
      group.raftAddresses.put(id, "127.0.0.1:" + freePort());
      group.hosts.put(id, "127.0.0.1");
      group.commandPrefixes.put(id, List.of());
    }
    group.launchAll();
    return group;
  }

  /**
   * Starts nodes n1..nN, node ni in namespace i of {@code network} listening (client and Raft port)
   * on that namespace's address, so that {@link TestNetwork#cut} can cut the links between them
   * while the test, in the root namespace, still reaches each of them. They listen beyond loopback,
   * on a network only this machine reaches, so without tokens ({@code --insecure}).
   */
  public static CoordinatorGroup start(TestNetwork network, Path dataDir, String... extraArgs)
      throws TimeoutException {
    List<String> args = new ArrayList<>(List.of(extraArgs));
    args.add("--insecure");
    CoordinatorGroup group = new CoordinatorGroup(dataDir, List.copyOf(args), network);
    for (int i = 1; i <= network.size(); i++) {
      String id = "n" + i;
      group.raftAddresses.put(id, network.address(i) + ":" + NAMESPACE_RAFT_PORT);
      group.hosts.put(id, network.address(i));
      group.commandPrefixes.put(id, network.exec(i));
    }
    group.launchAll();
    return group;
  }

  /** Starts every node before waiting for any: JVM start-ups overlap. */
  private void launchAll() throws TimeoutException {
    try {
      String peers = peers();
      for (String id : raftAddresses.keySet()) {
        spawn(id, peers, 0);
      }
      for (String id : raftAddresses.keySet()) {
        if (!awaitListening(id, 0)) {
          throw new IllegalStateException("coordinator " + id + " on --port 0 could not listen");
        }
      }
    } catch (TimeoutException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The namespace number (1..N) of node {@code id} in a group started on a network. */
  public int namespaceOf(String id) {
    if (network == null) {
      throw new IllegalStateException("the group runs on loopback, not in namespaces");
    }
    return List.copyOf(raftAddresses.keySet()).indexOf(id) + 1;
  }

  /** The members as --peers takes them. */
  public String peers() {
    List<String> peers = new ArrayList<>();
    raftAddresses.forEach((id, address) -> peers.add(id + "=" + address));
    return String.join(",", peers);
  }

  /**
   * Starts one more node, {@code id}, as a member of the group the current members plus it make:
   * what an operator does before {@code colony cluster add-node}. Returns its ID=HOST:RAFTPORT.
   */
  public String startNewNode(String id) throws IOException, TimeoutException {
    if (network != null) {
      throw new UnsupportedOperationException("a group in namespaces has a namespace per node");
    }
    raftAddresses.put(id, "127.0.0.1:" + freePort());
    hosts.put(id, "127.0.0.1");
    commandPrefixes.put(id, List.of());
    launch(id, peers());
    return id + "=" + raftAddresses.get(id);
  }

  private void launch(String id, String peers) throws TimeoutException {
    if (!launch(id, peers, 0)) {
      throw new IllegalStateException("coordinator " + id + " on --port 0 could not listen");
    }
  }

  /**
   * Starts node {@code id} on client port {@code port} (0: any) and waits until it listens; false
   * if it exited because the port was taken (a port stays briefly taken after a kill).
   */
  private boolean launch(String id, String peers, int port) throws TimeoutException {
    spawn(id, peers, port);
    return awaitListening(id, port);
  }

  private void spawn(String id, String peers, int port) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "coordinator",
                "--host",
                hosts.get(id),
                "--port",
                String.valueOf(port),
                "--no-http",
                "--node-id",
                id,
                "--peers",
                peers,
                "--data-dir",
                dataDir.resolve(id).toString()));
    args.addAll(extraArgs);
    processes.put(
        id,
        JavaProcess.start(
            commandPrefixes.get(id),
            "coordinator-" + id,
            List.of(),
            "dev.colony.cli.ColonyCommand",
            args,
            true));
  }

  /** Waits until node {@code id} listens; false if its fixed {@code port} was taken. */
  private boolean awaitListening(String id, int port) throws TimeoutException {
    JavaProcess process = processes.get(id);
    String line =
        process.awaitLine(
            l -> LISTENING.matcher(l).find() || l.startsWith(CANNOT_LISTEN), START_TIMEOUT);
    if (line.startsWith(CANNOT_LISTEN)) {
      process.close();
      if (port != 0 && line.contains("another coordinator")) {
        return false;
      }
      throw new IllegalStateException("coordinator " + id + " did not start: " + line);
    }
    Matcher m = LISTENING.matcher(line);
    m.find();
    ports.put(id, Integer.parseInt(m.group(2)));
    return true;
  }

  /** Every running node's client address, comma-separated: what clients and workers take. */
  public String targets() {
    List<String> targets = new ArrayList<>();
    processes.forEach(
        (id, process) -> {
          if (process.isAlive()) {
            targets.add(target(id));
          }
        });
    return String.join(",", targets);
  }

  public String target(String id) {
    return hosts.get(id) + ":" + ports.get(id);
  }

  public JavaProcess process(String id) {
    return processes.get(id);
  }

  /**
   * Starts node {@code id} again (after a kill) on its data directory, with the same peers and the
   * same client port, as an operator would: clients know the group by its addresses. While the port
   * is still taken it tries again, for at most {@link #REBIND_TIMEOUT}.
   */
  public void restart(String id) throws TimeoutException, InterruptedException {
    restart(List.of(id));
  }

  /**
   * Starts nodes {@code ids} again as {@link #restart(String)} does, every one before waiting for
   * any: their JVM start-ups overlap.
   */
  public void restart(Collection<String> ids) throws TimeoutException, InterruptedException {
    for (String id : ids) {
      JavaProcess old = processes.get(id);
      if (old.isAlive()) {
        throw new IllegalStateException(id + " still runs");
      }
      old.close();
    }
    String peers = peers();
    for (String id : ids) {
      spawn(id, peers, ports.get(id));
    }
    for (String id : ids) {
      if (!awaitListening(id, ports.get(id))) {
        relaunch(id);
      }
    }
  }

  /** Launches node {@code id} on its client port until that port is free again. */
  private void relaunch(String id) throws TimeoutException, InterruptedException {
    int port = ports.get(id);
    long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
    Thread.sleep(200); // back off before binding again
    while (!launch(id, peers(), port)) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "client port " + port + " of " + id + " still taken after " + REBIND_TIMEOUT);
      }
      Thread.sleep(200); // back off before binding again
    }
  }

  /** The data directory of node {@code id}. */
  public Path dataDir(String id) {
    return dataDir.resolve(id);
  }

  /** kill -9 of node {@code id}. */
  public void kill(String id) throws InterruptedException {
    processes.get(id).kill();
  }

  /** Waits until a running node leads and serves status, and returns its id. */
  public String awaitLeader() {
    return awaitLeaderAmong(processes.keySet());
  }

  /**
   * Waits until one of {@code ids} (running) says it leads, and returns it: on the majority side of
   * a cut, the new leader (the cut-off old one may still think it leads).
   */
  public String awaitLeaderAmong(Collection<String> ids) {
    String[] leader = new String[1];
    await("a leader among " + ids + " that serves status")
        .atMost(LEADER_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              for (String id : ids) {
                if (!processes.get(id).isAlive()) {
                  continue;
                }
                ClusterStatus cluster = cluster(id);
                if (cluster != null && cluster.getLeaderId().equals(id)) {
                  leader[0] = id;
                  return true;
                }
              }
              return false;
            });
    return leader[0];
  }

  /** Waits until {@code leader} reports {@code node} as a follower with no lag. */
  public void awaitCaughtUp(String leader, String node) {
    await(node + " follows " + leader + " with no lag")
        .atMost(LEADER_TIMEOUT)
        .until(
            () -> {
              ClusterStatus view = cluster(leader);
              return view != null
                  && view.getNodesList().stream()
                      .anyMatch(
                          n ->
                              n.getId().equals(node)
                                  && n.getRole().equals("FOLLOWER")
                                  && n.getLag() == 0);
            });
  }

  /** Node {@code id}'s view of the group, or null if it does not answer status (a follower). */
  public ClusterStatus cluster(String id) {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                hosts.get(id), ports.get(id), InsecureChannelCredentials.create())
            .build();
    try {
      return AdminServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance())
          .getCluster();
    } catch (StatusRuntimeException refusedOrDown) {
      return null;
    } finally {
      channel.shutdownNow();
    }
  }

  @Override
  public void close() {
    for (JavaProcess process : processes.values()) {
      process.signalTerminate();
    }
    for (JavaProcess process : processes.values()) {
      try {
        process.terminate(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        process.close();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
