package dev.colony.server.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.server.core.CoordinatorCore;
import dev.colony.server.core.Limits;
import dev.colony.server.store.CommandLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A log that asks for few appends in flight (a group's) gets them: commands that arrive meanwhile
 * wait in the inbox and go out as one batch once an append is applied.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApplyLoopInFlightTest {
  /** Holds each append until the test lets it through; then applies it and completes it. */
  static final class GatedLog implements CommandLog {
    record Pending(ByteString batch, CompletableFuture<Void> done) {}

    final BlockingQueue<Pending> appended = new LinkedBlockingQueue<>();
    private Applier applier;

    @Override
    public void open(Applier applier) {
      this.applier = applier;
      applier.leading();
    }

    @Override
    public CompletableFuture<Void> append(ByteString batch) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      appended.add(new Pending(batch, done));
      return done;
    }

    @Override
    public int appendsInFlightMax() {
      return 1;
    }

    /** Applies the next append and completes it; returns how many commands it held. */
    int letThrough() throws Exception {
      Pending p = appended.poll(10, TimeUnit.SECONDS);
      assertTrue(p != null, "an append");
      applier.apply(p.batch());
      p.done().complete(null);
      return CommandBatch.parseFrom(p.batch()).getCommandsCount();
    }

    @Override
    public void close() {}
  }

  @Test
  void commandsWaitingForRoom_goOutInOneBatch() throws Exception {
    GatedLog log = new GatedLog();
    ApplyLoop loop = new ApplyLoop(new CoordinatorCore(Limits.defaults()), log).start();
    try {
      // The restart command this node logs as it leads holds the only room.
      Thread.sleep(100);
      List<CompletableFuture<Output>> opened = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        opened.add(open(loop, "s" + i));
      }
      Thread.sleep(200);
      assertEquals(1, log.appended.size(), "one append in flight while the others wait");
      assertEquals(1, log.letThrough(), "the first batch");
      assertEquals(10, log.letThrough(), "the ten commands that waited, in one batch");
      for (CompletableFuture<Output> o : opened) {
        assertTrue(o.get(10, TimeUnit.SECONDS).hasOpened());
      }
    } finally {
      loop.close();
    }
  }

  private static CompletableFuture<Output> open(ApplyLoop loop, String id) {
    CompletableFuture<Output> opened = new CompletableFuture<>();
    long replyTo = loop.newId();
    loop.register(replyTo, opened::complete);
    loop.submit(
        Command.newBuilder()
            .setOpenSession(
                OpenSessionCommand.newBuilder()
                    .setSessionId(id)
                    .setReplyTo(replyTo)
                    .setRequest(SessionOpenRequest.newBuilder().setTtlMs(60_000)))
            .build());
    return opened;
  }
}
