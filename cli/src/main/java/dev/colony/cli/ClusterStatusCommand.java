package dev.colony.cli;

import dev.colony.cli.HostsFile.Role;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code colony cluster status}: per host of the hosts file, whether its process runs (pid file and
 * a live colony process, over ssh) and, for a coordinator, its health check; for a worker, whether
 * its log says it joined.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Shows each host of a hosts file: role, node id, pid, whether the process runs, and a"
          + " coordinator's health (SERVING) or whether a worker has joined. `colony status"
          + " --coordinator ...` shows what runs inside Colony."
    },
    footer = {
      "%nExit codes: 0 every process runs (and every coordinator serves); 1 not so, or a host"
          + " could not be reached; 2 bad command line."
    })
final class ClusterStatusCommand implements Callable<Integer> {
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

  @Spec CommandSpec spec;

  @Mixin ClusterHosts cluster;

  @Override
  public Integer call() {
    Table table = new Table("HOST", "ROLE", "NODE", "PID", "PROCESS", "HEALTH");
    PrintWriter err = spec.commandLine().getErr();
    // Hosts are asked at once; the rows keep the file's order.
    Map<RemoteHost, Row> rows = OnEachHost.run(cluster.remoteHosts(), this::row);
    boolean allUp = true;
    for (Row row : rows.values()) {
      table.row(row.cells().toArray());
      allUp &= row.up();
      if (row.problem() != null) {
        err.println(row.problem());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    table.print(out);
    out.flush();
    err.flush();
    return allUp ? ExitCodes.OK : ExitCodes.ERROR;
  }

  private record Row(List<String> cells, boolean up, String problem) {}

  private Row row(RemoteHost host) {
    boolean coordinator = host.host().role() == Role.COORDINATOR;
    String address = host.host().address();
    String role = host.host().role().word;
    String node = coordinator && cluster.isGroup() ? cluster.nodeId(host.host()) : "-";
    Ssh.Result state;
    try {
      state = host.state();
    } catch (CommandFailedException e) {
      return new Row(
          List.of(address, role, node, "-", "unreachable", "-"),
          false,
          host.host() + ": " + e.getMessage());
    }
    boolean alive = state.value("ALIVE").orElse("no").equals("yes");
    String health;
    if (!alive) {
      health = "-";
    } else if (coordinator) {
      health = cluster.health(host.host(), HEALTH_TIMEOUT);
    } else {
      health = state.value("JOINED").orElse("0").equals("0") ? "not joined" : "joined";
    }
    return new Row(
        List.of(
            address,
            role,
            node,
            state.value("PID").orElse("-"),
            alive ? "running" : "not running",
            health),
        alive && (health.equals("SERVING") || health.equals("joined")),
        null);
  }
}
