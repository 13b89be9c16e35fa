package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.AttachCommand;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.CloseSessionCommand;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.LockAcquireRequest;
import dev.colony.proto.v1.LockInfoRequest;
import dev.colony.proto.v1.LockReleaseRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.SessionOpenRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A session belongs to the principal that opened it, across snapshots too. */
class SessionOwnershipTest {
  private static final String ALICE = "client:aaaaaaaaaaaa";
  private static final String MALLORY = "client:bbbbbbbbbbbb";

  private CoordinatorCore core = new CoordinatorCore(Limits.defaults());
  private long nextId = 1;

  @Test
  void call_fromAnotherPrincipal_isRefusedAndChangesNothing() {
    open("s1", ALICE);
    createLock();
    assertTrue(call("s1", ALICE, acquire()).getLockAcquire().getAcquired());

    Reply stolen = call("s1", MALLORY, release());
    assertEquals(CoreException.Code.PERMISSION_DENIED.number, stolen.getFailure().getCode());
    assertEquals(ErrorReason.NOT_SESSION_OWNER, stolen.getFailure().getReason());
    assertTrue(lockInfo().getLocked(), "the lock is still held");
  }

  @Test
  void attachAndClose_fromAnotherPrincipal_areRefused() {
    open("s1", ALICE);
    Output attach =
        single(
            Command.newBuilder()
                .setAttach(
                    AttachCommand.newBuilder()
                        .setSessionId("s1")
                        .setStreamId(77)
                        .setPrincipal(MALLORY)));
    assertEquals(CoreException.Code.PERMISSION_DENIED.number, attach.getFailed().getCode());

    Output close = close("s1", MALLORY, false);
    assertEquals(ErrorReason.NOT_SESSION_OWNER, close.getFailed().getReason());
    assertEquals(1, core.sessions().size());

    assertTrue(close("s1", "admin:cccccccccccc", true).getDone(), "an admin may close any session");
    assertEquals(0, core.sessions().size());
  }

  @Test
  void ownership_survivesSnapshotAndRestore() {
    open("s1", ALICE);
    createLock();
    call("s1", ALICE, acquire());
    core = CoordinatorCore.restore(Limits.defaults(), CoreOptions.defaults(), core.snapshot());

    assertEquals(
        ErrorReason.NOT_SESSION_OWNER, call("s1", MALLORY, release()).getFailure().getReason());
    assertFalse(call("s1", ALICE, release()).hasFailure());
  }

  @Test
  void lockInfo_showsTheHoldersLabel_notTheSessionId() {
    open("s1", ALICE);
    createLock();
    call("s1", ALICE, acquire());
    var holder = lockInfo().getHolder();
    assertEquals(Session.labelOf("s1"), holder.getSessionLabel());
    assertEquals(12, holder.getSessionLabel().length());
    assertFalse(holder.toString().contains("\"s1\""), holder.toString());
  }

  private void open(String sessionId, String principal) {
    Output opened =
        single(
            Command.newBuilder()
                .setOpenSession(
                    OpenSessionCommand.newBuilder()
                        .setSessionId(sessionId)
                        .setReplyTo(nextId++)
                        .setOwner(principal)
                        .setRequest(SessionOpenRequest.newBuilder().setClientName(principal))));
    assertEquals(Session.labelOf(sessionId), opened.getOpened().getSessionLabel());
  }

  private Output close(String sessionId, String principal, boolean admin) {
    return single(
        Command.newBuilder()
            .setCloseSession(
                CloseSessionCommand.newBuilder()
                    .setSessionId(sessionId)
                    .setReplyTo(nextId++)
                    .setPrincipal(principal)
                    .setAnyOwner(admin)));
  }

  private Reply call(String sessionId, String principal, Call.Builder call) {
    return single(
            Command.newBuilder()
                .setCall(
                    CallCommand.newBuilder()
                        .setSessionId(sessionId)
                        .setStreamId(1)
                        .setPrincipal(principal)
                        .setCall(call.setId(nextId++))))
        .getReply();
  }

  private dev.colony.proto.v1.LockInfoResponse lockInfo() {
    return call(
            "s1", ALICE, Call.newBuilder().setLockInfo(LockInfoRequest.newBuilder().setName("l")))
        .getLockInfo();
  }

  private void createLock() {
    assertFalse(
        call(
                "s1",
                ALICE,
                Call.newBuilder()
                    .setObjectCreate(
                        ObjectCreateRequest.newBuilder().setName("l").setType(ObjectType.LOCK)))
            .hasFailure());
  }

  private static Call.Builder acquire() {
    return Call.newBuilder().setLockAcquire(LockAcquireRequest.newBuilder().setName("l"));
  }

  private static Call.Builder release() {
    return Call.newBuilder().setLockRelease(LockReleaseRequest.newBuilder().setName("l"));
  }

  private Output single(Command.Builder command) {
    core.apply(CommandBatch.newBuilder().setNowMs(1_000).addCommands(command).build());
    List<Output> outputs = core.outbox().drain();
    assertEquals(1, outputs.size(), outputs::toString);
    return outputs.get(0);
  }
}
