package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.RestartCommand;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerJoinCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker's registration belongs to the principal that made it: a stream that names the worker's
 * id to take its place again must carry the same one, across restarts and snapshots too.
 */
class WorkerOwnershipTest {
  private static final String ALICE = "worker:aaaaaaaaaaaa";
  private static final String MALLORY = "worker:bbbbbbbbbbbb";

  private CoordinatorCore core = new CoordinatorCore(Limits.defaults());
  private long now = 1_000;

  @Test
  void resumingAnothersWorker_isRefused_andTheRightfulOneStillResumes() {
    String id = welcomed(join(1, hello(""), ALICE));
    apply(Command.newBuilder().setRestart(RestartCommand.getDefaultInstance()));

    Output refused = single(join(2, hello(id), MALLORY));
    assertEquals(2, refused.getTo());
    assertEquals(CoreException.Code.PERMISSION_DENIED.number, refused.getFailed().getCode());
    assertEquals(ErrorReason.NOT_WORKER_OWNER, refused.getFailed().getReason());
    assertTrue(refused.getFailed().getMessage().contains(id), refused.getFailed().getMessage());

    assertEquals(id, welcomed(join(3, hello(id), ALICE)), "its registrant takes its place again");
  }

  @Test
  void resumingAConnectedWorker_withOtherCredentials_leavesItsStreamAlone() {
    String id = welcomed(join(1, hello(""), ALICE));

    Output refused = single(join(2, hello(id), MALLORY));
    assertEquals(ErrorReason.NOT_WORKER_OWNER, refused.getFailed().getReason());
    assertEquals(1, core.snapshot().getTasks().getWorkers(0).getStreamId(), "still on stream 1");
  }

  @Test
  void theRegistrant_survivesASnapshot() {
    String id = welcomed(join(1, hello(""), ALICE));
    core = CoordinatorCore.restore(Limits.defaults(), CoreOptions.defaults(), core.snapshot());
    assertEquals(ALICE, core.snapshot().getTasks().getWorkers(0).getPrincipal());
    apply(Command.newBuilder().setRestart(RestartCommand.getDefaultInstance()));

    assertEquals(
        ErrorReason.NOT_WORKER_OWNER, single(join(2, hello(id), MALLORY)).getFailed().getReason());
    assertEquals(id, welcomed(join(3, hello(id), ALICE)));
  }

  @Test
  void withoutCredentials_everyStreamIsTheSameAnonymousPrincipal() {
    String id = welcomed(join(1, hello(""), ""));
    apply(Command.newBuilder().setRestart(RestartCommand.getDefaultInstance()));

    assertEquals(id, welcomed(join(2, hello(id), "")));
  }

  private static WorkerHello hello(String resumeWorkerId) {
    return WorkerHello.newBuilder()
        .setName("w")
        .setHost("h")
        .setPid(7)
        .setSlots(1)
        .setResumeWorkerId(resumeWorkerId)
        .build();
  }

  private static Command.Builder join(long streamId, WorkerHello hello, String principal) {
    return Command.newBuilder()
        .setWorkerJoin(
            WorkerJoinCommand.newBuilder()
                .setStreamId(streamId)
                .setHello(hello)
                .setPrincipal(principal));
  }

  private String welcomed(Command.Builder join) {
    Output welcome = single(join);
    assertTrue(welcome.getWorker().hasWelcome(), welcome::toString);
    return welcome.getWorker().getWelcome().getWorkerId();
  }

  private List<Output> apply(Command.Builder command) {
    core.apply(CommandBatch.newBuilder().setNowMs(now++).addCommands(command).build());
    return core.outbox().drain();
  }

  private Output single(Command.Builder command) {
    List<Output> outputs = apply(command);
    assertEquals(1, outputs.size(), outputs::toString);
    return outputs.get(0);
  }
}
