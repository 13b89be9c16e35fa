package dev.colony.cli;

import dev.colony.server.ColonyServer;
import dev.colony.server.store.CommandLog;
import dev.colony.worker.WorkerDaemon;
import dev.colony.worker.WorkerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator and worker daemons in this JVM: what {@code colony local} and {@code colony demo}
 * run. Each worker has its own session, as a worker on another host would, and runs the task
 * classes on this JVM's classpath that its allow list names (Colony's examples by default).
 */
final class LocalCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

  /**
   * The task classes local workers run unless told otherwise: Colony's own examples, which are what
   * {@code colony demo} and the README's examples submit to a local cluster.
   */
  static final String EXAMPLE_TASKS = "dev.colony.cli.demo.*";

  /** How long a stopping worker lets running tasks finish before handing them back. */
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

  /** How long open calls and streams get before they are cancelled. */
  private static final long STOP_SECONDS = 3;

  private final List<ColonyServer> servers;
  private final String address;
  private final List<WorkerDaemon> workers = new ArrayList<>();
  private Path temporaryData; // deleted on close

  private LocalCluster(List<ColonyServer> servers, String address) {
    this.servers = servers;
    this.address = address;
  }

  /** One spare core each: the cores this JVM may use, less one for the coordinator and caller. */
  static int defaultWorkers() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }

  /**
   * Starts the coordinator {@code coordinator} describes (listening on {@code host}) and {@code
   * workers} workers with {@code slots} slots each, and waits until every worker has joined.
   *
   * @throws java.io.UncheckedIOException if an address cannot be bound
   * @throws IllegalStateException if a worker did not join in time
   */
  static LocalCluster start(
      ColonyServer.Builder coordinator, String host, int workers, int slots, Duration joinTimeout)
      throws InterruptedException {
    return start(coordinator, host, workers, slots, joinTimeout, List.of(EXAMPLE_TASKS));
  }

  /** As above, with workers that run the task classes {@code allowedTasks} match. */
  static LocalCluster start(
      ColonyServer.Builder coordinator,
      String host,
      int workers,
      int slots,
      Duration joinTimeout,
      List<String> allowedTasks)
      throws InterruptedException {
    ColonyServer server = coordinator.build().start();
    LocalCluster cluster =
        new LocalCluster(List.of(server), shown(host) + ":" + server.address().getPort());
    return cluster.withWorkers(workers, slots, joinTimeout, allowedTasks);
  }

  /**
   * Starts {@code coordinators} coordinators as one replicated group on {@code host} ({@code
   * nodeBuilder} gives node i, from 1, its settings: ports, dashboard), each keeping its log in
   * {@code dataDir}/n<i> (a temporary directory, deleted on close, if null), then the workers as
   * {@link #start} does, given every node's address.
   */
  static LocalCluster startGroup(
      IntFunction<ColonyServer.Builder> nodeBuilder,
      int coordinators,
      Path dataDir,
      String host,
      int workers,
      int slots,
      Duration joinTimeout,
      List<String> allowedTasks)
      throws InterruptedException, IOException {
    Path base = dataDir != null ? dataDir : Files.createTempDirectory("colony-local-");
    List<CommandLog.Member> peers = new ArrayList<>();
    for (int i = 1; i <= coordinators; i++) {
      peers.add(new CommandLog.Member("n" + i, shown(host) + ":" + freePort(host)));
    }
    List<ColonyServer> servers = new ArrayList<>();
    try {
      for (int i = 1; i <= coordinators; i++) {
        servers.add(
            nodeBuilder
                .apply(i)
                .setDataDir(base.resolve("n" + i))
                .setGroup("n" + i, peers)
                .build()
                .start());
      }
    } catch (RuntimeException e) {
      servers.forEach(ColonyServer::shutdownNow);
      throw e;
    }
    String addresses =
        String.join(
            ",", servers.stream().map(s -> shown(host) + ":" + s.address().getPort()).toList());
    LocalCluster cluster = new LocalCluster(List.copyOf(servers), addresses);
    if (dataDir == null) {
      cluster.temporaryData = base;
    }
    return cluster.withWorkers(workers, slots, joinTimeout, allowedTasks);
  }

  private static String shown(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** A port free on {@code host} now: Raft needs every member's port before any starts. */
  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  private LocalCluster withWorkers(
      int workers, int slots, Duration joinTimeout, List<String> allowedTasks)
      throws InterruptedException {
    LocalCluster cluster = this;
    try {
      List<CompletableFuture<String>> joined = new ArrayList<>();
      for (int i = 1; i <= workers; i++) {
        WorkerOptions.Builder options =
            WorkerOptions.newBuilder()
                .setCoordinator(cluster.address)
                .setSlots(slots)
                .setName("local-" + i)
                .setDrainGrace(DRAIN_GRACE);
        allowedTasks.forEach(options::addAllowedTasks);
        WorkerDaemon worker = new WorkerDaemon(options.build());
        cluster.workers.add(worker);
        joined.add(worker.start().joined());
      }
      CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new))
          .get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      cluster.close();
      throw new IllegalStateException(
          "the local workers did not join the coordinator within " + joinTimeout, e);
    } catch (InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** host:port for clients and workers (one per coordinator, comma-separated). */
  String address() {
    return address;
  }

  /** The first coordinator's port. */
  int port() {
    return servers.get(0).port();
  }

  /** The dashboard's URL, or null if it serves none. */
  String dashboardUrl() {
    int httpPort = server().httpPort();
    return httpPort == ColonyServer.NO_HTTP
        ? null
        : "http://" + address.substring(0, address.lastIndexOf(':')) + ":" + httpPort + "/";
  }

  int workerCount() {
    return workers.size();
  }

  /** The first coordinator. */
  ColonyServer server() {
    return servers.get(0);
  }

  /**
   * Drains the workers (running tasks get {@link #DRAIN_GRACE} to finish), then stops the
   * coordinator. Idempotent.
   */
  @Override
  public void close() {
    workers.forEach(WorkerDaemon::shutdown);
    try {
      for (WorkerDaemon worker : workers) {
        if (!worker.awaitTermination(DRAIN_GRACE.toSeconds() + STOP_SECONDS, TimeUnit.SECONDS)) {
          log.warn("worker {} did not stop in time", worker.options().name());
        }
      }
      servers.forEach(ColonyServer::shutdown);
      for (ColonyServer server : servers) {
        if (!server.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS)) {
          server.shutdownNow();
          server.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      workers.forEach(WorkerDaemon::shutdownNow);
      servers.forEach(ColonyServer::shutdownNow);
      Thread.currentThread().interrupt();
    } finally {
      deleteTemporaryData();
    }
  }

  private void deleteTemporaryData() {
    Path dir = temporaryData;
    temporaryData = null;
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete the temporary state in {}: {}", dir, e.toString());
    }
  }
}
