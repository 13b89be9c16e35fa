package dev.colony.cli;

import dev.colony.server.ColonyServer;
import dev.colony.server.store.CommandLog;
import dev.colony.server.store.PeerSpec;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Membership of a replicated group of coordinators: `coordinator --node-id --peers`. */
final class GroupOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description =
          "This coordinator's id in a replicated group (one of --peers). Each member needs its"
              + " own --data-dir.")
  String nodeId;

  @Option(
      names = "--peers",
      paramLabel = "ID=HOST:RAFTPORT,...",
      description =
          "Every member of the group, this one included, with the port the members talk Raft on,"
              + " e.g. n1=127.0.0.1:7081,n2=127.0.0.1:7082,n3=127.0.0.1:7083. Only the leader"
              + " serves; the others point clients at it. Three members survive losing one, five"
              + " survive losing two.")
  String peers;

  /** The group's members, or null for a coordinator on its own; usage errors for bad input. */
  List<CommandLog.Member> members(Path dataDir) {
    if (nodeId == null && peers == null) {
      return null;
    }
    if (nodeId == null || peers == null) {
      throw usage("--node-id and --peers go together: give both, or neither");
    }
    if (dataDir == null) {
      throw usage(
          "a member of a group keeps its log in a directory of its own: give --data-dir DIR");
    }
    List<CommandLog.Member> members;
    try {
      members = PeerSpec.parseGroup(peers);
    } catch (IllegalArgumentException e) {
      throw usage("--peers: " + e.getMessage());
    }
    if (members.stream().noneMatch(m -> m.id().equals(nodeId))) {
      throw usage(
          "--node-id "
              + nodeId
              + " is not one of --peers ("
              + String.join(", ", members.stream().map(CommandLog.Member::id).toList())
              + ")");
    }
    return members;
  }

  /** Makes {@code builder} a member of the group, if these options name one. */
  ColonyServer.Builder applyTo(ColonyServer.Builder builder, Path dataDir) {
    List<CommandLog.Member> members = members(dataDir);
    return members == null ? builder : builder.setGroup(nodeId, members);
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
