package dev.colony.server.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.ValueAddRequest;
import dev.colony.proto.v1.ValueGetRequest;
import dev.colony.proto.v1.ValueOptions;
import dev.colony.server.core.CoordinatorCore;
import dev.colony.server.core.Limits;
import dev.colony.server.store.CommandLog;
import dev.colony.server.store.RatisCommandLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply loop on the durable log: what was applied before a stop is there after a start on the
 * same directory, rebuilt from a snapshot plus the log after it, and the session that made it lives
 * on (its lease restarted).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DurableApplyLoopTest {
  private static final int ADDS = 300;

  @TempDir Path dataDir;

  @Test
  void restart_rebuildsTheStateFromSnapshotAndLog_andTheSessionLivesOn() throws Exception {
    ApplyLoop first = start();
    try {
      openSession(first, "s");
      CompletableFuture<Output> created = new CompletableFuture<>();
      long createStream = first.newId();
      first.register(createStream, created::complete);
      first.submit(
          call(
              "s",
              createStream,
              1_000_000,
              Call.newBuilder()
                  .setObjectCreate(
                      ObjectCreateRequest.newBuilder()
                          .setName("hits")
                          .setType(ObjectType.VALUE)
                          .setValue(
                              ValueOptions.newBuilder()
                                  .setInitial(Scalar.newBuilder().setLongValue(0))))));
      assertTrue(created.get(30, TimeUnit.SECONDS).getReply().hasObjectCreate());
      // One at a time, so each add is its own log entry and snapshots are taken on the way.
      for (int i = 1; i <= ADDS; i++) {
        CompletableFuture<Output> added = new CompletableFuture<>();
        long stream = first.newId();
        first.register(stream, added::complete);
        first.submit(call("s", stream, i, add()));
        assertEquals(
            i,
            added.get(30, TimeUnit.SECONDS).getReply().getValueAdd().getCurrent().getLongValue());
      }
    } finally {
      first.close();
    }
    assertTrue(hasSnapshot(), "a snapshot was taken every 20 entries");

    ApplyLoop second = start();
    try {
      assertEquals(1, second.read(core -> core.sessions().size()).get(30, TimeUnit.SECONDS));
      CompletableFuture<Output> got = new CompletableFuture<>();
      long stream = second.newId();
      second.register(stream, got::complete);
      second.submit(
          call(
              "s",
              stream,
              ADDS + 1,
              Call.newBuilder().setValueGet(ValueGetRequest.newBuilder().setName("hits"))));
      Output output = got.get(30, TimeUnit.SECONDS);
      assertEquals(
          ADDS, output.getReply().getValueGet().getValue().getLongValue(), output.toString());

      // A call sent again with an id the coordinator already applied is answered, not applied.
      CompletableFuture<Output> again = new CompletableFuture<>();
      long retryStream = second.newId();
      second.register(retryStream, again::complete);
      second.submit(call("s", retryStream, ADDS, add()));
      assertEquals(
          ADDS,
          again.get(30, TimeUnit.SECONDS).getReply().getValueAdd().getCurrent().getLongValue());
    } finally {
      second.close();
    }
  }

  @Test
  void restartWithLowerLimits_replaysWhatWasAcceptedUnderTheOldOnes_andAppliesTheNewOnesAfter()
      throws Exception {
    ApplyLoop first = start(Limits.defaults().withMaxObjects(10));
    try {
      openSession(first, "s");
      for (String name : List.of("a", "b", "c")) {
        assertTrue(createValue(first, name).getReply().hasObjectCreate(), name + " is created");
      }
    } finally {
      first.close();
    }

    // Started again with room for one object: the three accepted before are all still there.
    ApplyLoop second = start(Limits.defaults().withMaxObjects(1));
    try {
      assertEquals(
          List.of("a", "b", "c"),
          second
              .read(core -> core.objects().stream().map(o -> o.getName()).sorted().toList())
              .get(30, TimeUnit.SECONDS));
      Output refused = createValue(second, "d");
      assertEquals(
          ErrorReason.LIMIT_EXCEEDED,
          refused.getReply().getFailure().getReason(),
          refused::toString);
    } finally {
      second.close();
    }
  }

  /**
   * Calls that only read are served without a log entry, yet in order: gets sent right after adds,
   * without waiting for them, see every add sent before them on the log of one durable node.
   */
  @Test
  void readsPipelinedAfterWrites_seeThem_andAppendNothing() throws Exception {
    AtomicInteger appends = new AtomicInteger();
    CommandLog durable =
        new RatisCommandLog(RatisCommandLog.Options.defaults(dataDir).withSnapshotEvery(20));
    CommandLog counting =
        new CommandLog() {
          @Override
          public void open(Applier applier) throws java.io.IOException {
            durable.open(applier);
          }

          @Override
          public CompletableFuture<Void> append(com.google.protobuf.ByteString batch) {
            appends.incrementAndGet();
            return durable.append(batch);
          }

          @Override
          public void close() {
            durable.close();
          }
        };
    ApplyLoop loop = new ApplyLoop(new CoordinatorCore(Limits.defaults()), counting).start();
    try {
      openSession(loop, "s");
      CompletableFuture<Output> created = new CompletableFuture<>();
      long createStream = loop.newId();
      loop.register(createStream, created::complete);
      loop.submit(
          call(
              "s",
              createStream,
              1_000_000,
              Call.newBuilder()
                  .setObjectCreate(
                      ObjectCreateRequest.newBuilder().setName("hits").setType(ObjectType.VALUE))));
      created.get(30, TimeUnit.SECONDS);
      int appendsBefore = appends.get();

      List<CompletableFuture<Output>> gets = new ArrayList<>();
      for (int i = 1; i <= 100; i++) {
        CompletableFuture<Output> added = new CompletableFuture<>();
        CompletableFuture<Output> got = new CompletableFuture<>();
        long addStream = loop.newId();
        long getStream = loop.newId();
        loop.register(addStream, added::complete);
        loop.register(getStream, got::complete);
        loop.submit(call("s", addStream, 2 * i, add()));
        loop.submit(
            call(
                "s",
                getStream,
                2 * i + 1,
                Call.newBuilder().setValueGet(ValueGetRequest.newBuilder().setName("hits"))));
        gets.add(got);
      }
      for (int i = 1; i <= 100; i++) {
        Output got = gets.get(i - 1).get(30, TimeUnit.SECONDS);
        assertTrue(
            got.getReply().getValueGet().getValue().getLongValue() >= i,
            "get " + i + " sees the adds sent before it: " + got);
      }
      int appended = appends.get() - appendsBefore;
      assertTrue(appended <= 100, "the gets appended nothing: " + appended + " appends");

      // Served again as the same read (no retry cache for reads): the same answer, no entry.
      int beforeAgain = appends.get();
      CompletableFuture<Output> again = new CompletableFuture<>();
      long againStream = loop.newId();
      loop.register(againStream, again::complete);
      loop.submit(
          call(
              "s",
              againStream,
              201,
              Call.newBuilder().setValueGet(ValueGetRequest.newBuilder().setName("hits"))));
      assertEquals(
          100, again.get(30, TimeUnit.SECONDS).getReply().getValueGet().getValue().getLongValue());
      assertEquals(beforeAgain, appends.get(), "a read on an idle loop appends nothing");
    } finally {
      loop.close();
    }
  }

  private static Output createValue(ApplyLoop loop, String name) throws Exception {
    CompletableFuture<Output> created = new CompletableFuture<>();
    long stream = loop.newId();
    loop.register(stream, created::complete);
    loop.submit(
        call(
            "s",
            stream,
            name.hashCode(),
            Call.newBuilder()
                .setObjectCreate(
                    ObjectCreateRequest.newBuilder().setName(name).setType(ObjectType.VALUE))));
    return created.get(30, TimeUnit.SECONDS);
  }

  private ApplyLoop start() {
    return start(Limits.defaults());
  }

  private ApplyLoop start(Limits limits) {
    return new ApplyLoop(
            new CoordinatorCore(limits),
            new RatisCommandLog(RatisCommandLog.Options.defaults(dataDir).withSnapshotEvery(20)))
        .start();
  }

  private boolean hasSnapshot() throws Exception {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("snapshot."));
    }
  }

  private static void openSession(ApplyLoop loop, String id) throws Exception {
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
    assertTrue(opened.get(30, TimeUnit.SECONDS).hasOpened());
  }

  private static Call.Builder add() {
    return Call.newBuilder()
        .setValueAdd(
            ValueAddRequest.newBuilder()
                .setName("hits")
                .setDelta(Scalar.newBuilder().setLongValue(1)));
  }

  private static Command call(String session, long stream, long id, Call.Builder call) {
    return Command.newBuilder()
        .setCall(
            CallCommand.newBuilder()
                .setSessionId(session)
                .setStreamId(stream)
                .setCall(call.setId(id)))
        .build();
  }
}
