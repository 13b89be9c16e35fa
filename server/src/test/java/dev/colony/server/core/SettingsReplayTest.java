package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.RestartCommand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Limits and options are part of the replicated state: a core replaying the log of a process that
 * ran with other settings applies each command under the settings it was first applied under.
 */
class SettingsReplayTest {
  private static final Limits ROOMY = Limits.defaults().withMaxObjects(10);
  private static final Limits TIGHT = Limits.defaults().withMaxObjects(1);
  private static final CoreOptions FAILING =
      CoreOptions.defaults().withDeadlockPolicy(DeadlockPolicy.FAIL);

  @Test
  void replay_underOtherSettings_reachesTheSameState_untilItsOwnRestartCommand() {
    List<CommandBatch> log = new ArrayList<>();
    CoordinatorCore first = new CoordinatorCore(ROOMY, FAILING);
    long now = 1_000;
    log.add(apply(first, now, restart(ROOMY, FAILING)));
    log.add(apply(first, now, open("s")));
    for (String name : List.of("a", "b", "c")) {
      log.add(apply(first, ++now, create("s", name)));
    }

    CoordinatorCore replay = new CoordinatorCore(TIGHT);
    for (CommandBatch batch : log) {
      replay.apply(batch);
      replay.outbox().drain();
    }
    assertEquals(first.digest(), replay.digest());
    assertEquals(ROOMY, replay.limits());
    assertEquals(FAILING, replay.options());

    apply(replay, ++now, restart(TIGHT, CoreOptions.defaults()));
    assertEquals(TIGHT, replay.limits());
    assertEquals(CoreOptions.defaults(), replay.options());
    replay.apply(batch(++now, create("s", "d")));
    assertEquals(
        ErrorReason.LIMIT_EXCEEDED,
        replay.outbox().drain().get(0).getReply().getFailure().getReason(),
        "the new limits hold for what comes after the restart");
  }

  @Test
  void snapshot_keepsItsSettings_overThoseTheRestoringProcessHas() {
    CoordinatorCore first = new CoordinatorCore(ROOMY, FAILING);
    apply(first, 1_000, restart(ROOMY, FAILING));
    apply(first, 1_000, open("s"));
    apply(first, 1_001, create("s", "a"));
    apply(first, 1_002, create("s", "b"));

    CoordinatorCore restored =
        CoordinatorCore.restore(TIGHT, CoreOptions.defaults(), first.snapshot());

    assertEquals(ROOMY, restored.limits());
    assertEquals(FAILING, restored.options());
    assertEquals(first.digest(), restored.digest());
    assertEquals(first.snapshot(), restored.snapshot());
  }

  @Test
  void restartCommandOfAnOlderVersion_withoutSettings_keepsTheCoresOwn() {
    CoordinatorCore core = new CoordinatorCore(TIGHT);
    apply(core, 1_000, Command.newBuilder().setRestart(RestartCommand.getDefaultInstance()));
    assertEquals(TIGHT, core.limits());
  }

  private static Command.Builder restart(Limits limits, CoreOptions options) {
    return Command.newBuilder()
        .setRestart(
            RestartCommand.newBuilder().setSettings(CoordinatorCore.settingsOf(limits, options)));
  }

  private static Command.Builder open(String session) {
    return Command.newBuilder()
        .setOpenSession(
            dev.colony.proto.v1.OpenSessionCommand.newBuilder()
                .setSessionId(session)
                .setReplyTo(1)
                .setRequest(dev.colony.proto.v1.SessionOpenRequest.newBuilder().setTtlMs(60_000)));
  }

  private static Command.Builder create(String session, String name) {
    return Command.newBuilder()
        .setCall(
            dev.colony.proto.v1.CallCommand.newBuilder()
                .setSessionId(session)
                .setStreamId(2)
                .setCall(
                    dev.colony.proto.v1.Call.newBuilder()
                        .setId(name.hashCode())
                        .setObjectCreate(
                            ObjectCreateRequest.newBuilder()
                                .setName(name)
                                .setType(ObjectType.VALUE))));
  }

  private static CommandBatch batch(long now, Command.Builder command) {
    return CommandBatch.newBuilder().setNowMs(now).addCommands(command).build();
  }

  private static CommandBatch apply(CoordinatorCore core, long now, Command.Builder command) {
    CommandBatch batch = batch(now, command);
    core.apply(batch);
    core.outbox().drain();
    return batch;
  }
}
