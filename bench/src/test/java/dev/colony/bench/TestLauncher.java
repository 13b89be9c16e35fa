package dev.colony.bench;

import dev.colony.server.ColonyServer;
import dev.colony.server.store.CommandLog;
import dev.colony.server.store.RatisCommandLog;
import dev.colony.worker.WorkerDaemon;
import dev.colony.worker.WorkerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for {@code dev.colony.cli.ColonyCommand} in the bench's tests (the cli module depends
 * on this one): {@code coordinator --host H --port 0 --no-http [--data-dir DIR [--sync
 * always|batch] [--node-id ID --peers ID=HOST:PORT,...]]} and {@code worker --coordinator H:P
 * --slots N --name NAME}, printing the same lines as the real commands. Ends on SIGTERM.
 */
public final class TestLauncher {
  private TestLauncher() {}

  public static void main(String[] args) throws Exception {
    List<String> list = List.of(args);
    switch (list.get(0)) {
      case "coordinator" -> coordinator(list);
      case "worker" -> worker(list);
      default -> throw new IllegalArgumentException("unknown command " + list.get(0));
    }
    Thread.currentThread().join(); // Until SIGTERM ends the JVM.
  }

  private static void coordinator(List<String> args) {
    ColonyServer.Builder builder =
        ColonyServer.newBuilder()
            .setHost(value(args, "--host"))
            .setPort(Integer.parseInt(value(args, "--port")))
            .setHttpPort(ColonyServer.NO_HTTP);
    if (args.contains("--data-dir")) {
      builder.setDataDir(Path.of(value(args, "--data-dir")));
      builder.setSyncMode(
          args.contains("--sync")
              ? RatisCommandLog.SyncMode.valueOf(value(args, "--sync").toUpperCase(Locale.ROOT))
              : RatisCommandLog.SyncMode.ALWAYS);
    }
    if (args.contains("--node-id")) {
      List<CommandLog.Member> peers = new ArrayList<>();
      for (String member : value(args, "--peers").split(",")) {
        String[] idAndAddress = member.split("=", 2);
        peers.add(new CommandLog.Member(idAndAddress[0], idAndAddress[1]));
      }
      builder.setGroup(value(args, "--node-id"), peers);
    }
    ColonyServer server = builder.build().start();
    System.out.println(
        "Colony coordinator listening on " + value(args, "--host") + ":" + server.port());
    System.out.println("State " + server.storage());
  }

  private static void worker(List<String> args) throws Exception {
    String coordinator = value(args, "--coordinator");
    int slots = Integer.parseInt(value(args, "--slots"));
    WorkerDaemon daemon =
        new WorkerDaemon(
            WorkerOptions.newBuilder()
                .setCoordinator(coordinator)
                .setSlots(slots)
                .setName(value(args, "--name"))
                .addAllowedTasks("dev.colony.bench.*")
                .build());
    daemon.start();
    String id = daemon.joined().get(30, TimeUnit.SECONDS);
    System.out.println(
        "Colony worker " + id + " connected to " + coordinator + " with " + slots + " slots");
  }

  private static String value(List<String> args, String option) {
    int at = args.indexOf(option);
    if (at < 0 || at + 1 >= args.size()) {
      throw new IllegalArgumentException("missing " + option + " in " + args);
    }
    return args.get(at + 1);
  }
}
