package dev.colony.server.loop;

import dev.colony.proto.v1.ClusterNodeInfo;
import dev.colony.proto.v1.ClusterNodeStatus;
import dev.colony.proto.v1.ClusterStatus;
import dev.colony.server.store.CommandLog.GroupView;
import dev.colony.server.store.CommandLog.MemberView;
import java.util.Map;

/** A group as the log sees it, joined with what its nodes announced, for status. */
final class ClusterStatusView {
  private ClusterStatusView() {}

  static ClusterStatus of(GroupView group, Map<String, ClusterNodeInfo> announced) {
    ClusterStatus.Builder status =
        ClusterStatus.newBuilder()
            .setSelfId(group.selfId())
            .setLeaderId(group.leaderId() == null ? "" : group.leaderId())
            .setTerm(group.term())
            .setCommitIndex(group.commitIndex());
    for (MemberView member : group.members()) {
      ClusterNodeInfo info =
          announced.getOrDefault(member.id(), ClusterNodeInfo.getDefaultInstance());
      status.addNodes(
          ClusterNodeStatus.newBuilder()
              .setId(member.id())
              .setRaftAddress(member.address())
              .setAddress(info.getClientAddress())
              .setHttpAddress(info.getHttpAddress())
              .setPid(info.getPid())
              .setRole(member.role())
              .setCommitIndex(member.commitIndex())
              .setLag(
                  member.commitIndex() < 0
                      ? -1
                      : Math.max(0, group.commitIndex() - member.commitIndex())));
    }
    return status.build();
  }
}
