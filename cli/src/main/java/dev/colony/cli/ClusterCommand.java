package dev.colony.cli;

import dev.colony.proto.v1.ChangeMembersRequest;
import dev.colony.proto.v1.ClusterNodeStatus;
import dev.colony.proto.v1.ClusterStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code colony cluster}: brings Colony up and down on hosts over ssh (up, down, status) and
 * changes who is in a replicated group while it serves (add-node, remove-node).
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Starts, shows and stops Colony on several hosts over ssh (up, status, down, each with"
          + " --hosts FILE), and changes the members of a replicated group of coordinators while"
          + " it serves (add-node, remove-node; `colony status` shows the group).",
    },
    footer = {
      "%nThe hosts file: one line per host or setting; # starts a comment; relative paths are"
          + " relative to the file. A host is `coordinator ADDRESS [options]` or `worker ADDRESS"
          + " [options]`, its options given to that host's `colony coordinator` or `colony"
          + " worker` (quote with '...'), e.g.:",
      "",
      "  ssh-user root",
      "  token-file colony.token",
      "  tls-cert coordinator.crt",
      "  tls-key coordinator.key",
      "  tls-ca ca.crt",
      "  coordinator 10.0.0.1",
      "  coordinator 10.0.0.2",
      "  coordinator 10.0.0.3",
      "  worker 10.0.0.4 --slots 2 --tasks /srv/tasks",
      "",
      "Settings (all optional but token-file):",
      "  ssh-user USER           log in as USER (default: ssh's choice)",
      "  ssh-port PORT           sshd's port on every host (default: 22)",
      "  ssh-identity FILE       the key to log in with (default: ssh's, or the agent)",
      "  ssh-option KEY=VALUE    an ssh -o option; may be repeated, e.g.",
      "                          StrictHostKeyChecking=accept-new (trust new host keys)",
      "  remote-dir DIR          where the distribution, logs, pid files and data go",
      "                          on the hosts (default: colony, in the login's home)",
      "  java-home DIR           the Java 17+ on the hosts (default: java on the PATH)",
      "  java-options OPTS       JVM options of the processes, e.g. -Xmx1g",
      "  port PORT               the coordinators' client port (default: 7070)",
      "  raft-port PORT          the port a group's members talk Raft on (default:",
      "                          7081); no token or TLS there: open it to them alone",
      "  token-file FILE         the coordinators' --token-file (one token, or",
      "                          role=token lines)",
      "  worker-token-file FILE  the token workers send (default: token-file's)",
      "  tls-cert FILE           the coordinators' certificate (PEM), naming their",
      "                          addresses; with tls-key, they serve TLS",
      "  tls-key FILE            its private key (PEM, PKCS#8)",
      "  tls-ca FILE             the CA workers and these commands trust (default:",
      "                          the JVM's)",
      "",
      "ssh runs with BatchMode=yes (no password prompts): log in with a key or an",
      "agent."
    },
    subcommands = {
      ClusterUpCommand.class,
      ClusterStatusCommand.class,
      ClusterDownCommand.class,
      ClusterCommand.AddNode.class,
      ClusterCommand.RemoveNode.class
    })
final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name what to do: up, status, down, add-node or remove-node");
  }

  @Command(
      name = "add-node",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Adds node ID=HOST:RAFTPORT to the group. Start it first: `colony coordinator --node-id"
            + " ID --peers <every member, it included> --data-dir <its own DIR> --port ...`. It"
            + " catches up from the leader (a snapshot, then the log) before the change commits.",
      },
      footer = {"%nExit codes: 0 added; 1 failed (the reason is on stderr); 2 bad command line."})
  static final class AddNode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CoordinatorOption coordinator;

    @Parameters(index = "0", paramLabel = "ID=HOST:RAFTPORT", description = "The node to add.")
    String node;

    @Override
    public Integer call() {
      return change(
          spec, coordinator, ChangeMembersRequest.newBuilder().addAdd(node).build(), "added");
    }
  }

  @Command(
      name = "remove-node",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Removes node ID from the group; stop its process afterwards. Removing the leader makes"
            + " the others elect a new one.",
      },
      footer = {"%nExit codes: 0 removed; 1 failed (the reason is on stderr); 2 bad command line."})
  static final class RemoveNode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin CoordinatorOption coordinator;

    @Parameters(index = "0", paramLabel = "ID", description = "The node to remove.")
    String node;

    @Override
    public Integer call() {
      return change(
          spec, coordinator, ChangeMembersRequest.newBuilder().addRemove(node).build(), "removed");
    }
  }

  private static int change(
      CommandSpec spec, CoordinatorOption coordinator, ChangeMembersRequest request, String done) {
    ClusterStatus cluster;
    try (AdminClient admin = new AdminClient(coordinator.connection())) {
      cluster = admin.changeMembers(request);
    }
    PrintWriter out = spec.commandLine().getOut();
    String subject = request.getAddCount() > 0 ? request.getAdd(0) : request.getRemove(0);
    out.println(
        done
            + " "
            + subject
            + "; the group is now "
            + String.join(
                ", ", cluster.getNodesList().stream().map(ClusterNodeStatus::getId).toList()));
    out.flush();
    return ExitCodes.OK;
  }
}
