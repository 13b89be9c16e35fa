package dev.colony.server.loop;

/**
 * Why a node of a replicated group does not serve a call: it does not lead.
 *
 * @param selfId the node that refuses
 * @param leaderId the leader, or null while none is known (an election is under way, or no majority
 *     is reachable)
 * @param leaderAddress where clients reach the leader (HOST:PORT), or null if not known
 */
public record NotLeader(String selfId, String leaderId, String leaderAddress) {
  /** One sentence for people and logs. */
  public String message() {
    if (leaderId == null) {
      return selfId
          + " is not the leader and knows of none yet (an election is under way, or a majority"
          + " of the group is unreachable); try again shortly";
    }
    return selfId
        + " is not the leader; the leader is "
        + leaderId
        + (leaderAddress == null ? "" : " at " + leaderAddress);
  }
}
