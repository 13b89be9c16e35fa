package dev.colony.cli;

import dev.colony.client.ColonyClient;
import dev.colony.server.ColonyServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the build's class-data-sharing archive ({@code cli/target/colony.jsa}).
 *
 * <p>A coordinator's start is mostly class loading: about 6,500 classes of gRPC, Netty (twice: ours
 * and Ratis' shaded copy), Ratis and protobuf, and that, not replaying the log, is what a restart
 * waits for. The build runs this class once with {@code -XX:ArchiveClassesAtExit}: it does what
 * people do first — a durable coordinator with a worker, the demo's examples, a few object
 * commands, then a restart on the same directory — so the JVM records the classes they load, and
 * {@code bin/colony} maps that archive instead of loading them again from the jar.
 */
final class StartupTraining {
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    // It runs inside `mvn package`: the cluster's log lines would only clutter the build's output.
    DemoCommand.quietLogs();
    Path dataDir = Files.createTempDirectory("colony-training");
    try {
      run(dataDir);
    } finally {
      delete(dataDir);
    }
    // Exit through System.exit, as every colony command does: that is when the archive is written.
    System.exit(0);
  }

  private static void run(Path dataDir) throws Exception {
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    try (LocalCluster cluster = startOn(dataDir);
        ColonyClient colony = Connections.connect(cluster.address())) {
      for (DemoExample example : examples(cluster)) {
        DemoExample.Result result = example.run(colony, discard);
        if (!result.passed()) {
          throw new IllegalStateException("training example failed: " + result.summary());
        }
      }
      colony.lock("training.lock").lock();
      String at = "--coordinator=" + cluster.address();
      for (List<String> command :
          List.of(
              List.of("status", at),
              List.of("queue", "put", at, "training.jobs", "one"),
              List.of("queue", "get", at, "training.jobs"),
              List.of("value", "add", at, "training.count", "1"),
              List.of("lock", "info", at, "training.lock"))) {
        int code =
            ColonyCommand.newCommandLine()
                .setOut(discard)
                .setErr(discard)
                .execute(command.toArray(String[]::new));
        if (code != ExitCodes.OK) {
          throw new IllegalStateException("training command failed (" + code + "): " + command);
        }
      }
    }
    // A restart on the same directory: the snapshot and replay path.
    try (LocalCluster again = startOn(dataDir);
        ColonyClient colony = Connections.connect(again.address())) {
      colony.atomicLong("training.count").get();
    }
  }

  private static LocalCluster startOn(Path dataDir) throws InterruptedException {
    return LocalCluster.start(
        ColonyServer.newBuilder().setPort(0).setDataDir(dataDir), "127.0.0.1", 1, 2, JOIN_TIMEOUT);
  }

  private static List<DemoExample> examples(LocalCluster cluster) {
    return List.of(
        new ParallelMapExample(40, 1),
        new ProducerConsumerExample(
            40, 1, "training.numbers", () -> Connections.connect(cluster.address())),
        new TicketExample(20, 1, "training.", () -> Connections.connect(cluster.address())));
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
