package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.SessionSnapshot;
import dev.colony.server.core.CommandStreams.Generator;
import dev.colony.server.core.CommandStreams.Recording;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The list of calls served without the log ({@link ReadOnlyCalls}) holds only calls that change
 * nothing: on the final states of the seeded streams of {@link ReplayDeterminismTest}, every listed
 * operation, on every object (of its type or not) from every session, leaves the snapshot byte for
 * byte as it was, and answers exactly what the same call applied through the log answers.
 */
class ReadOnlyCallsTest {
  private static final int SEEDS = 6;

  @Test
  void everyListedCall_changesNothing_andAnswersAsThroughTheLog() throws IOException {
    long reads = 0;
    Set<Call.OpCase> succeeded = EnumSet.noneOf(Call.OpCase.class);
    for (int seed = 1; seed <= SEEDS; seed++) {
      Recording run = new Generator(seed).run();
      CoreSnapshot state = run.finalSnapshot;
      CoordinatorCore reader = CoordinatorCore.restore(CommandStreams.limits(), run.options, state);
      CoordinatorCore logged = CoordinatorCore.restore(CommandStreams.limits(), run.options, state);
      byte[] before = reader.snapshot().toByteArray();
      String digest = reader.digest();
      long callId = 1L << 40;
      for (CallCommand read : reads(state, callId)) {
        String where = "seed " + seed + ": " + read.getCall().getOpCase() + " " + read;
        assertTrue(ReadOnlyCalls.isRead(Command.newBuilder().setCall(read).build()), where);

        reader.read(read);
        List<Output> answered = reader.outbox().drain();
        assertEquals(1, answered.size(), where + ": one reply");
        assertArrayEquals(before, reader.snapshot().toByteArray(), where + ": snapshot after");
        assertEquals(digest, reader.digest(), where + ": digest after");

        logged.apply(
            CommandBatch.newBuilder()
                .setNowMs(reader.now())
                .addCommands(Command.newBuilder().setCall(read))
                .build());
        List<Output> applied = logged.outbox().drain();
        assertEquals(applied, answered, where + ": the reply through the log");
        if (!answered.get(0).getReply().hasFailure()) {
          succeeded.add(read.getCall().getOpCase());
        }
        reads++;
      }
    }
    assertTrue(reads > 3_000, "too few reads: " + reads);
    // Not just failures (wrong type, no such object): every listed read answered for real.
    assertEquals(ReadOnlyCalls.ops(), succeeded, "listed reads that succeeded at least once");
  }

  @Test
  void oneWayCallsAndCallsThatChangeState_areNotReads() {
    for (Call.OpCase op : Call.OpCase.values()) {
      if (op == Call.OpCase.OP_NOT_SET) {
        continue;
      }
      Call call = call(op, "x", 1).toBuilder().setOneWay(true).build();
      assertFalse(
          ReadOnlyCalls.isRead(
              Command.newBuilder().setCall(CallCommand.newBuilder().setCall(call)).build()),
          op + " one-way");
    }
    for (Call.OpCase op :
        List.of(
            Call.OpCase.QUEUE_GET,
            Call.OpCase.EVENT_WAIT,
            Call.OpCase.LATCH_AWAIT,
            Call.OpCase.TASK_WAIT,
            Call.OpCase.VALUE_ADD,
            Call.OpCase.OBJECT_CREATE)) {
      assertFalse(ReadOnlyCalls.ops().contains(op), op + " is not a read");
    }
  }

  /** Every listed read, on every object and a missing one, from every session. */
  private static List<CallCommand> reads(CoreSnapshot state, long firstId) {
    List<String> names = new ArrayList<>();
    for (ObjectSnapshot object : state.getObjectsList()) {
      names.add(object.getName());
    }
    names.add("no-such-object");
    List<CallCommand> reads = new ArrayList<>();
    long id = firstId;
    for (SessionSnapshot session : state.getSessionsList()) {
      for (String name : names) {
        for (Call.OpCase op : ReadOnlyCalls.ops()) {
          for (long variant = 0; variant < 3; variant++) {
            reads.add(
                CallCommand.newBuilder()
                    .setSessionId(session.getId())
                    .setPrincipal(session.getOwner())
                    .setStreamId(77)
                    .setCall(call(op, name, variant).toBuilder().setId(id++))
                    .build());
          }
        }
      }
    }
    return reads;
  }

  /**
   * A call of {@code op} on {@code name}: its request's name set, and its numbers (index, thread
   * id, task id, page size) set to {@code variant} where it has them.
   */
  private static Call call(Call.OpCase op, String name, long variant) {
    FieldDescriptor field = Call.getDescriptor().findFieldByNumber(op.getNumber());
    Call.Builder call = Call.newBuilder();
    Message.Builder request = call.newBuilderForField(field);
    for (FieldDescriptor f : request.getDescriptorForType().getFields()) {
      if (f.isRepeated() || f.getContainingOneof() != null && !f.hasPresence()) {
        continue;
      }
      if (f.getName().equals("name")) {
        request.setField(f, name);
      } else if (f.getJavaType() == FieldDescriptor.JavaType.LONG) {
        request.setField(f, variant);
      } else if (f.getJavaType() == FieldDescriptor.JavaType.INT) {
        request.setField(f, (int) variant);
      }
    }
    return call.setField(field, request.build()).build();
  }
}
