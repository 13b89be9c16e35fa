package dev.colony.it.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.server.ColonyServer;
import dev.colony.worker.WorkerDaemon;
import dev.colony.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real coordinator on 127.0.0.1 (ephemeral port) and a real worker daemon in this JVM, over TCP.
 * The worker shares the test's classpath, so tasks can signal the test through static latches.
 */
final class InJvmColony implements AutoCloseable {
  final ColonyServer server;
  final WorkerDaemon worker;
  final ColonyClient client;

  private InJvmColony(ColonyServer server, WorkerDaemon worker, ColonyClient client) {
    this.server = server;
    this.worker = worker;
    this.client = client;
  }

  static InJvmColony start(int slots) throws Exception {
    ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
    WorkerDaemon worker =
        new WorkerDaemon(
            WorkerOptions.newBuilder()
                .setCoordinator(target(server))
                .setSlots(slots)
                .setName("it-worker")
                .addAllowedTasks("dev.colony.it.**")
                .setDrainGrace(Duration.ofSeconds(5))
                .build());
    worker.start();
    worker.joined().get(20, TimeUnit.SECONDS);
    return new InJvmColony(server, worker, Colony.connect(target(server)));
  }

  private static String target(ColonyServer server) {
    return "127.0.0.1:" + server.port();
  }

  String target() {
    return target(server);
  }

  /** Another client of the same coordinator (another "process" of the test). */
  ColonyClient newClient() {
    return Colony.connect(target());
  }

  @Override
  public void close() throws Exception {
    client.close();
    worker.shutdownNow();
    assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS), "the worker did not stop");
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
