package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.SessionOpenRequest;
import org.junit.jupiter.api.Test;

/** A snapshot is as big as the state, not as the history that led to it. */
class SnapshotSizeTest {

  @Test
  void aQueueThatSaw100000PutsAndGetsAndIsEmptyAgain_hasASmallSnapshot() {
    CoordinatorCore core = new CoordinatorCore(Limits.defaults());
    long now = 1_000_000;
    core.apply(
        CommandBatch.newBuilder()
            .setNowMs(now)
            .addCommands(
                Command.newBuilder()
                    .setOpenSession(
                        OpenSessionCommand.newBuilder()
                            .setSessionId("s")
                            .setReplyTo(1)
                            .setRequest(SessionOpenRequest.newBuilder().setTtlMs(60_000))))
            .build());
    long callId = 0;
    call(
        core,
        now,
        ++callId,
        SyncCalls.create(SyncCalls.queue("q", dev.colony.proto.v1.QueueKind.FIFO, 0)));
    for (int round = 0; round < 200; round++) {
      CommandBatch.Builder batch = CommandBatch.newBuilder().setNowMs(++now);
      for (int i = 0; i < 500; i++) {
        batch.addCommands(
            command(++callId, SyncCalls.put("q", "item-" + callId, SyncCalls.FOREVER)));
        batch.addCommands(command(++callId, SyncCalls.get("q", 0, false)));
        core.apply(batch.build());
        batch = CommandBatch.newBuilder().setNowMs(now);
        for (var output : core.outbox().drain()) {
          long delivery = output.getReply().getQueueGet().getDeliveryId();
          if (delivery != 0) {
            batch.addCommands(
                command(++callId, SyncCalls.ack("q", false, java.util.List.of(delivery))));
          }
        }
      }
      core.apply(batch.build());
      core.outbox().drain();
    }
    CoreSnapshot snapshot = core.snapshot();
    assertEquals(1, snapshot.getObjectsCount());
    assertEquals(0, snapshot.getObjects(0).getQueue().getItemsCount());
    assertTrue(callId > 300_000, "calls applied (100,000 puts, gets and acks each): " + callId);
    int size = snapshot.getSerializedSize();
    // The session's lease, one queue and its counters; the retry cache holds the latest reply.
    assertTrue(size < 1_024, "a snapshot of " + size + " bytes:\n" + snapshot);
  }

  private static void call(CoordinatorCore core, long now, long id, Call.Builder call) {
    core.apply(CommandBatch.newBuilder().setNowMs(now).addCommands(command(id, call)).build());
    core.outbox().drain();
  }

  /** A stream call that tells the coordinator every earlier reply arrived, as clients do. */
  private static Command command(long id, Call.Builder call) {
    return Command.newBuilder()
        .setCall(
            CallCommand.newBuilder()
                .setSessionId("s")
                .setStreamId(7)
                .setCall(call.setId(id).setRepliedBelow(id)))
        .build();
  }
}
