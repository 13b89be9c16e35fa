package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.SessionOpenRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions per credentials and per client address stop at their limits, and others go on. */
class SessionQuotaTest {
  private static final Limits LIMITS =
      Limits.defaults().withMaxSessionsPerPrincipal(3).withMaxSessionsPerAddress(4);

  private CoordinatorCore core = new CoordinatorCore(LIMITS);
  private long nextId = 1;

  @Test
  void oneToken_stopsAtItsLimit_whileAnotherTokenOpens() {
    for (int i = 0; i < 3; i++) {
      assertTrue(open("client:flood", "10.0.0." + i).hasOpened(), "session " + i);
    }
    Output refused = open("client:flood", "10.0.0.9");

    assertLimit(refused, "these credentials (client:flood) already have 3 sessions open");
    assertTrue(open("client:other", "10.0.0.9").hasOpened(), "another token still opens");
  }

  @Test
  void oneAddress_stopsAtItsLimit_whileAnotherAddressOpens() {
    for (int i = 0; i < 4; i++) {
      assertTrue(open("client:" + i, "10.0.0.1").hasOpened(), "session " + i);
    }
    Output refused = open("client:new", "10.0.0.1");

    assertLimit(refused, "the address 10.0.0.1 already has 4 sessions open");
    assertTrue(open("client:new", "10.0.0.2").hasOpened(), "another address still opens");
  }

  @Test
  void withoutTokensOrAddress_onlyTheTotalCounts() {
    for (int i = 0; i < 6; i++) {
      assertTrue(open("", "").hasOpened(), "session " + i);
    }
  }

  @Test
  void countsSurviveSnapshotAndRestore() {
    for (int i = 0; i < 3; i++) {
      open("client:flood", "10.0.0." + i);
    }
    core = CoordinatorCore.restore(LIMITS, CoreOptions.defaults(), core.snapshot());

    assertLimit(open("client:flood", "10.0.0.9"), "already have 3 sessions open");
  }

  private static void assertLimit(Output refused, String fragment) {
    assertTrue(refused.hasFailed(), refused::toString);
    assertEquals(CoreException.Code.RESOURCE_EXHAUSTED.number, refused.getFailed().getCode());
    assertEquals(ErrorReason.LIMIT_EXCEEDED, refused.getFailed().getReason());
    assertTrue(
        refused.getFailed().getMessage().contains(fragment), refused.getFailed().getMessage());
  }

  private Output open(String principal, String address) {
    long id = nextId++;
    core.apply(
        CommandBatch.newBuilder()
            .setNowMs(1_000)
            .addCommands(
                Command.newBuilder()
                    .setOpenSession(
                        OpenSessionCommand.newBuilder()
                            .setSessionId("s" + id)
                            .setReplyTo(id)
                            .setOwner(principal)
                            .setClientAddress(address)
                            .setRequest(SessionOpenRequest.newBuilder().setClientName("quota"))))
            .build());
    List<Output> outputs = core.outbox().drain();
    assertEquals(1, outputs.size(), outputs::toString);
    return outputs.get(0);
  }
}
