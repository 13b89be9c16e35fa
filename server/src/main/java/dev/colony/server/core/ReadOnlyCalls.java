package dev.colony.server.core;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Command;
import java.util.EnumSet;
import java.util.Set;

/**
 * The calls that only read: served by {@link CoordinatorCore#read} at the state the log has
 * applied, without a log entry (in a group, once Ratis' read index confirms this node leads). A
 * call is listed only if applying it changes nothing but its reply: it takes nothing (not a queue
 * get), parks no waiter (not an event wait, whose timeout 0 still counts), creates nothing, and its
 * reply need not be remembered, since serving it twice gives the same kind of answer. Applying a
 * listed call through the log would still renew its session's lease and remember its reply; a read
 * skips both (clients renew their lease with keep-alives). ReadOnlyCallsTest applies every listed
 * call to a busy state and checks that the snapshot stays byte for byte the same.
 */
public final class ReadOnlyCalls {
  private static final Set<Call.OpCase> READS =
      EnumSet.of(
          Call.OpCase.OBJECT_DESCRIBE,
          Call.OpCase.OBJECT_LIST,
          Call.OpCase.QUEUE_INFO,
          Call.OpCase.QUEUE_RANGE,
          Call.OpCase.LOCK_INFO,
          Call.OpCase.LOCK_HAS_QUEUED_THREAD,
          Call.OpCase.CONDITION_INFO,
          Call.OpCase.SEMAPHORE_INFO,
          Call.OpCase.EVENT_IS_SET,
          Call.OpCase.BARRIER_INFO,
          Call.OpCase.LATCH_COUNT,
          Call.OpCase.VALUE_GET,
          Call.OpCase.MAP_GET,
          Call.OpCase.MAP_CONTAINS_KEY,
          Call.OpCase.MAP_SIZE,
          Call.OpCase.MAP_ENTRIES,
          Call.OpCase.MAP_RANGE,
          Call.OpCase.LIST_GET,
          Call.OpCase.LIST_SIZE,
          Call.OpCase.LIST_RANGE,
          Call.OpCase.TASK_INFO);

  private ReadOnlyCalls() {}

  /** The operations served as reads. */
  public static Set<Call.OpCase> ops() {
    return READS;
  }

  /**
   * Whether {@code command} is a call served as a read: a listed operation that wants its reply (a
   * one-way read answers nothing, and goes through the log like any call).
   */
  public static boolean isRead(Command command) {
    return command.getKindCase() == Command.KindCase.CALL
        && !command.getCall().getCall().getOneWay()
        && READS.contains(command.getCall().getCall().getOpCase());
  }
}
