package dev.colony.cli;

import dev.colony.server.ColonyServer;
import dev.colony.worker.WorkerDaemon;
import dev.colony.worker.WorkerOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  private final ColonyServer server;
  private final String address;
  private final List<WorkerDaemon> workers = new ArrayList<>();

  private LocalCluster(ColonyServer server, String address) {
    this.server = server;
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
    InetSocketAddress bound = server.address();
    String shownHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    LocalCluster cluster = new LocalCluster(server, shownHost + ":" + bound.getPort());
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

  /** host:port for clients and workers. */
  String address() {
    return address;
  }

  int port() {
    return server.port();
  }

  /** The dashboard's URL, or null if it serves none. */
  String dashboardUrl() {
    int httpPort = server.httpPort();
    return httpPort == ColonyServer.NO_HTTP
        ? null
        : "http://" + address.substring(0, address.lastIndexOf(':')) + ":" + httpPort + "/";
  }

  int workerCount() {
    return workers.size();
  }

  ColonyServer server() {
    return server;
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
      server.shutdown();
      if (!server.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      workers.forEach(WorkerDaemon::shutdownNow);
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
