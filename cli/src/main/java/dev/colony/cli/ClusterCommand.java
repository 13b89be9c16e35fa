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

/** {@code colony cluster add-node|remove-node}: changes who is in a replicated group. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Changes the members of a replicated group of coordinators while it serves.",
      "`colony status` shows the group: each node's role, commit index, lag and pid."
    },
    subcommands = {ClusterCommand.AddNode.class, ClusterCommand.RemoveNode.class})
final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name what to do: add-node or remove-node");
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
