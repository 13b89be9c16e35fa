package dev.colony.server.store;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The order of the coordinator's command batches, and where they are kept. The log drives the state
 * machine through an {@link Applier}: a batch is applied only once it is durable (as the log's sync
 * mode defines durable), in append order, one at a time. Replaying the log (the latest snapshot,
 * then every batch after it) into an empty state machine rebuilds the same state. {@link
 * #inMemory()} keeps nothing, which is the coordinator's in-memory mode: the same code path with a
 * log that forgets.
 */
public interface CommandLog extends AutoCloseable {
  /**
   * Rebuilds the state through {@code applier} (restore of the latest snapshot, then apply of every
   * batch after it) and returns once the log accepts appends. Called once.
   */
  void open(Applier applier) throws java.io.IOException;

  /**
   * Appends one batch. Once it is durable, {@link Applier#apply} is called with it on the log's
   * apply thread; the future completes after that apply returned, or exceptionally if the batch can
   * never be applied (the log failed or was closed). Thread-safe, and does not wait for I/O.
   */
  CompletableFuture<Void> append(ByteString batch);

  /**
   * Appends one batch from a node that may not lead: it is sent to the group's leader (waiting for
   * one, and retrying, until the log closes). For what a node says about itself; a log of one node
   * appends it like {@link #append}.
   */
  default CompletableFuture<Void> appendViaLeader(ByteString batch) {
    return append(batch);
  }

  /**
   * Completes once a read served now is linearizable: this node led the group at some moment after
   * the call (confirmed by a majority, Raft's read index) and has applied every batch committed
   * before that moment. Fails (with {@link NotLeaderException} when known) if this node cannot
   * confirm that it leads. A log of one node is always up to date once its appends are applied:
   * nobody else can lead, so it completes at once. Nothing is appended.
   */
  default CompletableFuture<Void> readIndex() {
    return CompletableFuture.completedFuture(null);
  }

  /** The group this log replicates to, or null for a log of one node that keeps no group. */
  default GroupView group() {
    return null;
  }

  /**
   * Adds the nodes {@code add} (started beforehand as members of the new group) and removes the
   * nodes {@code remove}; completes once the group runs with the new members.
   */
  default CompletableFuture<GroupView> changeMembers(List<Member> add, List<String> remove) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            "this coordinator is not a member of a group (start it with --node-id and --peers)"));
  }

  /**
   * How many appends the caller should keep in flight at most. Commands that arrive while that many
   * are in flight wait and go into one batch together: where each entry costs a round trip and a
   * sync on other nodes, fewer, bigger batches carry more commands than many small ones.
   */
  default int appendsInFlightMax() {
    return Integer.MAX_VALUE;
  }

  /**
   * Whether {@link #append} needs the batch's bytes. A log that keeps nothing and applies each
   * batch at once, on the appending thread, does not: its caller may append {@link
   * ByteString#EMPTY} for every batch and knows which batch the applier is handed.
   */
  default boolean needsBytes() {
    return true;
  }

  /** Stops accepting appends and releases files and threads; batches not yet durable fail. */
  @Override
  void close();

  /** The state machine a log drives. Its methods are never called concurrently. */
  interface Applier {
    /** Applies one batch. */
    void apply(ByteString batch);

    /** The whole state, or null if this state machine cannot take snapshots. */
    ByteString snapshot();

    /** Replaces the whole state with one that {@link #snapshot()} returned. */
    void restore(ByteString snapshot);

    /**
     * This node leads from now on, and every batch of earlier leaders has been applied. Only a
     * leader's {@link #append} succeeds. A log of one node leads as soon as it is open.
     */
    default void leading() {}

    /**
     * Another node leads from now on ({@code leaderId}), or none is known yet (null): appends fail
     * with {@link NotLeaderException} until this node leads again.
     */
    default void following(String leaderId) {}
  }

  /** A member of a group: its id and its Raft address (HOST:PORT). */
  record Member(String id, String address) {
    public Member {
      java.util.Objects.requireNonNull(id, "id");
      java.util.Objects.requireNonNull(address, "address");
    }
  }

  /**
   * A group as one node sees it.
   *
   * @param selfId the node that answers
   * @param leaderId the leader, or null while none is known
   * @param term the node's current term
   * @param commitIndex the node's commit index
   * @param members every member, with what this node knows of it
   */
  record GroupView(
      String selfId, String leaderId, long term, long commitIndex, List<MemberView> members) {}

  /**
   * One member as another sees it.
   *
   * @param role LEADER, FOLLOWER, CANDIDATE, LISTENER, or UNKNOWN
   * @param commitIndex the highest index it is known to have committed, -1 if unknown
   */
  record MemberView(String id, String address, String role, long commitIndex) {}

  /** The in-memory mode: batches are applied at once on the appending thread. */
  static CommandLog inMemory() {
    return new InMemoryCommandLog();
  }
}
