package dev.colony.server.core;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.AttachCommand;
import dev.colony.proto.v1.BarrierActionDoneRequest;
import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierOptions;
import dev.colony.proto.v1.BarrierResetRequest;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.CancelCommand;
import dev.colony.proto.v1.CloseSessionCommand;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.ConditionAwaitRequest;
import dev.colony.proto.v1.ConditionInfoRequest;
import dev.colony.proto.v1.ConditionOptions;
import dev.colony.proto.v1.ConditionSignalRequest;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.DetachCommand;
import dev.colony.proto.v1.EventSetRequest;
import dev.colony.proto.v1.EventWaitRequest;
import dev.colony.proto.v1.KeepAliveCommand;
import dev.colony.proto.v1.LatchAwaitRequest;
import dev.colony.proto.v1.LatchCountDownRequest;
import dev.colony.proto.v1.LatchOptions;
import dev.colony.proto.v1.ListAddRequest;
import dev.colony.proto.v1.LockAcquireRequest;
import dev.colony.proto.v1.LockHasQueuedThreadRequest;
import dev.colony.proto.v1.LockReleaseRequest;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.MapRangeRequest;
import dev.colony.proto.v1.MapRemoveRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectDeleteRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueAckRequest;
import dev.colony.proto.v1.QueueClearRequest;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueuePosition;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.QueueRangeItem;
import dev.colony.proto.v1.QueueRangeRequest;
import dev.colony.proto.v1.QueueRemoveRequest;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.RestartCommand;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.SemaphoreAcquireRequest;
import dev.colony.proto.v1.SemaphoreDrainRequest;
import dev.colony.proto.v1.SemaphoreOptions;
import dev.colony.proto.v1.SemaphoreReduceRequest;
import dev.colony.proto.v1.SemaphoreReleaseRequest;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.TaskCancelRequest;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.TaskWaitRequest;
import dev.colony.proto.v1.TickCommand;
import dev.colony.proto.v1.ValueAddRequest;
import dev.colony.proto.v1.ValueCompareAndSetRequest;
import dev.colony.proto.v1.ValueOptions;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerDrain;
import dev.colony.proto.v1.WorkerExit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerFrameCommand;
import dev.colony.proto.v1.WorkerHeartbeat;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerJoinCommand;
import dev.colony.proto.v1.WorkerLeaveCommand;
import dev.colony.proto.v1.WorkerTaskResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random command streams for the determinism tests: a seeded generator drives a core with commands
 * that mostly make sense (every object type, timeouts, leases running out, workers joining, failing
 * and leaving, deletes, restarts), chosen from what the core answered so far, and records the log
 * it wrote and the outputs of each batch.
 */
final class CommandStreams {
  static final int BATCHES_PER_STREAM = 120;

  private CommandStreams() {}

  static CoordinatorCore newCore(CoreOptions options) {
    return new CoordinatorCore(limits(), options);
  }

  static Limits limits() {
    return Limits.defaults()
        .withWorkerHeartbeatIntervalMillis(500)
        .withWorkerHeartbeatTimeoutMillis(2_000)
        // Small enough that retry caches forget replies, and calls sent again meet that.
        .withMaxRetryBytesPerSession(2_048)
        .withMaxRetryBytes(6_144);
  }

  /** What a run produced: the log it wrote, the outputs of each batch, and the final state. */
  static final class Recording {
    final List<ByteString> log = new ArrayList<>();
    final List<byte[]> outputs = new ArrayList<>();
    long outputCount;
    String digest;
    CoreOptions options;
    CoreSnapshot snapshot;

    /** The core's count of stored bytes when it took {@link #snapshot}, and at the end. */
    long storedBytesAtSnapshot;

    long storedBytes;

    /** The final state, to check that counting from scratch agrees with counting as it went. */
    CoreSnapshot finalSnapshot;

    int batches() {
      return outputs.size();
    }

    List<Output> record(CoordinatorCore core, CommandBatch batch) throws IOException {
      log.add(batch.toByteString());
      core.apply(batch);
      List<Output> produced = core.outbox().drain();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (Output output : produced) {
        output.writeDelimitedTo(bytes);
      }
      outputs.add(bytes.toByteArray());
      outputCount += produced.size();
      return produced;
    }
  }

  /** Random commands that mostly make sense, driven by what the core answered so far. */
  static final class Generator {
    private static final String[] SESSIONS = {"s1", "s2", "s3", "s4"};
    private final Random random;
    private final CoreOptions options;
    private final CoordinatorCore core;
    private final int snapshotAfter;
    private final Recording recording = new Recording();
    private final List<String> open = new ArrayList<>();
    private final List<long[]> sent = new ArrayList<>(); // {session index, call id}
    private final List<Long> workerStreams = new ArrayList<>();
    private final List<long[]> assigned = new ArrayList<>(); // {stream, task id, attempt}
    private final List<Long> taskIds = new ArrayList<>();
    private final List<Long> deliveries = new ArrayList<>();
    private final List<QueuePosition> queuePositions = new ArrayList<>();
    private final List<Long> mapCursors = new ArrayList<>();
    private final Map<Long, String> actionCallers = new HashMap<>(); // barrier await id -> session
    private final Map<Long, String> actionBarriers = new HashMap<>(); // barrier await id -> name
    private final List<ActionRun> actionRuns = new ArrayList<>();

    /** The session a call goes out on; {@link #call} may change it to the one it must come from. */
    private String caller;

    private long now = 1_000_000;
    private long nextId = 1;

    /**
     * A stream for {@code seed}; every other seed runs with {@link DeadlockPolicy#FAIL}. When
     * {@code snapshotAfter} is a batch index, the recording keeps the core's snapshot after it.
     */
    Generator(long seed, int snapshotAfter) {
      this.random = new Random(seed);
      this.options =
          CoreOptions.defaults()
              .withDeadlockPolicy(seed % 2 == 0 ? DeadlockPolicy.FAIL : DeadlockPolicy.REPORT);
      this.core = newCore(options);
      this.snapshotAfter = snapshotAfter;
      recording.options = options;
    }

    Generator(long seed) {
      this(seed, -1);
    }

    Recording run() throws IOException {
      for (int b = 0; b < BATCHES_PER_STREAM; b++) {
        now += random.nextInt(10) < 7 ? random.nextInt(50) : random.nextInt(4_000);
        CommandBatch.Builder batch = CommandBatch.newBuilder().setNowMs(now);
        int size = 1 + random.nextInt(5);
        for (int i = 0; i < size; i++) {
          batch.addCommands(next());
        }
        for (Output output : recording.record(core, batch.build())) {
          learn(output);
        }
        if (b == snapshotAfter) {
          recording.snapshot = core.snapshot();
          recording.storedBytesAtSnapshot = core.storedBytes();
        }
      }
      recording.digest = core.digest();
      recording.storedBytes = core.storedBytes();
      recording.finalSnapshot = core.snapshot();
      return recording;
    }

    private void learn(Output output) {
      if (output.hasWorker() && output.getWorker().hasTask()) {
        var task = output.getWorker().getTask();
        assigned.add(new long[] {output.getTo(), task.getTaskId(), task.getAttempt()});
      } else if (output.hasReply() && output.getReply().hasTaskSubmit()) {
        taskIds.addAll(output.getReply().getTaskSubmit().getTaskIdsList());
      } else if (output.hasReply() && output.getReply().hasQueueGet()) {
        deliveries.add(output.getReply().getQueueGet().getDeliveryId());
      } else if (output.hasReply() && output.getReply().hasQueueRange()) {
        output.getReply().getQueueRange().getItemsList().stream()
            .map(QueueRangeItem::getPosition)
            .forEach(queuePositions::add);
      } else if (output.hasReply() && output.getReply().getMapRange().hasNextCursor()) {
        mapCursors.add(output.getReply().getMapRange().getNextCursor());
      } else if (output.hasReply() && output.getReply().getBarrierAwait().getRunAction()) {
        Reply reply = output.getReply();
        actionRuns.add(
            new ActionRun(
                actionCallers.get(reply.getId()),
                reply.getBarrierAwait().getActionId(),
                actionBarriers.get(reply.getId())));
      } else if (output.hasOpened()) {
        open.add(output.getOpened().getSessionId());
      }
    }

    private Command next() {
      int pick = random.nextInt(100);
      if (pick < 4 || open.isEmpty()) {
        String id = SESSIONS[random.nextInt(SESSIONS.length)];
        return Command.newBuilder()
            .setOpenSession(
                OpenSessionCommand.newBuilder()
                    .setSessionId(id + "-" + nextId++)
                    .setReplyTo(nextId++)
                    .setRequest(
                        SessionOpenRequest.newBuilder()
                            .setClientName(id)
                            .setTtlMs(1_000 + random.nextInt(8_000))))
            .build();
      }
      String session = open.get(random.nextInt(open.size()));
      if (pick < 6) {
        open.remove(session);
        return Command.newBuilder()
            .setCloseSession(
                CloseSessionCommand.newBuilder().setSessionId(session).setReplyTo(nextId++))
            .build();
      }
      if (pick < 9) {
        return Command.newBuilder()
            .setKeepAlive(KeepAliveCommand.newBuilder().setSessionId(session))
            .build();
      }
      if (pick < 11) {
        return Command.newBuilder()
            .setAttach(AttachCommand.newBuilder().setSessionId(session).setStreamId(stream()))
            .build();
      }
      if (pick < 13) {
        return Command.newBuilder()
            .setDetach(DetachCommand.newBuilder().setSessionId(session).setStreamId(stream()))
            .build();
      }
      if (pick < 16 && !sent.isEmpty()) {
        long[] call = sent.get(random.nextInt(sent.size()));
        return Command.newBuilder()
            .setCancel(CancelCommand.newBuilder().setSessionId(session).setCallId(call[1]))
            .build();
      }
      if (pick < 18) {
        return Command.newBuilder().setTick(TickCommand.getDefaultInstance()).build();
      }
      if (pick == 18) {
        return Command.newBuilder().setRestart(RestartCommand.getDefaultInstance()).build();
      }
      if (pick < 28) {
        return worker();
      }
      if (pick < 31 && !sent.isEmpty()) {
        // The same call sent again (a reconnect): answered from the retry cache or re-addressed.
        long[] call = sent.get(random.nextInt(sent.size()));
        caller = session;
        Call again = call(call[1]);
        return Command.newBuilder()
            .setCall(
                CallCommand.newBuilder().setSessionId(caller).setStreamId(stream()).setCall(again))
            .build();
      }
      long id = nextId++;
      sent.add(new long[] {0, id});
      caller = session;
      Call call = call(id);
      return Command.newBuilder()
          .setCall(
              CallCommand.newBuilder().setSessionId(caller).setStreamId(stream()).setCall(call))
          .build();
    }

    private long stream() {
      return 1 + random.nextInt(3);
    }

    private Command worker() {
      int pick = random.nextInt(10);
      if (pick < 2 || workerStreams.isEmpty()) {
        long stream = 1_000 + nextId++;
        workerStreams.add(stream);
        return Command.newBuilder()
            .setWorkerJoin(
                WorkerJoinCommand.newBuilder()
                    .setStreamId(stream)
                    .setHello(
                        WorkerHello.newBuilder()
                            .setName("w" + stream)
                            .setHost("h")
                            .setPid(stream)
                            .setSlots(1 + random.nextInt(4))))
            .build();
      }
      long stream = workerStreams.get(random.nextInt(workerStreams.size()));
      if (pick == 2) {
        workerStreams.remove(stream);
        return Command.newBuilder()
            .setWorkerLeave(WorkerLeaveCommand.newBuilder().setStreamId(stream).setWhy("left"))
            .build();
      }
      WorkerFrame.Builder frame = WorkerFrame.newBuilder();
      if (pick < 5) {
        frame.setCredit(WorkerCredit.newBuilder().setSlots(1 + random.nextInt(3)));
      } else if (pick < 9 && !assigned.isEmpty()) {
        long[] task = assigned.remove(random.nextInt(assigned.size()));
        stream = task[0];
        WorkerTaskResult.Builder result =
            WorkerTaskResult.newBuilder().setTaskId(task[1]).setAttempt((int) task[2]);
        switch (random.nextInt(3)) {
          case 0 -> result.setValues(TaskValues.newBuilder().addValues(text("r" + task[1])));
          case 1 ->
              result.setError(
                  dev.colony.proto.v1.RemoteError.newBuilder()
                      .setClassName("java.lang.IllegalStateException")
                      .setMessage("boom"));
          default -> result.setInterrupted(true);
        }
        frame.setResult(result);
      } else if (pick == 9 && random.nextInt(4) == 0) {
        // A task ended the worker's JVM: the worker says so and is gone.
        workerStreams.remove(stream);
        frame.setExit(WorkerExit.newBuilder().setReason("System.exit called by a task"));
      } else if (pick == 9) {
        frame.setDrain(WorkerDrain.getDefaultInstance());
      } else {
        frame.setHeartbeat(WorkerHeartbeat.getDefaultInstance());
      }
      return Command.newBuilder()
          .setWorkerFrame(WorkerFrameCommand.newBuilder().setStreamId(stream).setFrame(frame))
          .build();
    }

    private Call call(long id) {
      Call.Builder call = Call.newBuilder().setId(id).setOneWay(random.nextInt(20) == 0);
      String n = String.valueOf(random.nextInt(2));
      long thread = random.nextInt(3);
      if (random.nextInt(8) == 0) {
        return inPlace(call, n).build();
      }
      switch (random.nextInt(24)) {
        case 0 -> call.setObjectCreate(create("q" + n, ObjectType.QUEUE));
        case 1 ->
            call.setQueuePut(
                QueuePutRequest.newBuilder()
                    .setName("q" + n)
                    .setItem(text("i" + id))
                    .setPriority(id % 3));
        case 2 -> {
          QueueGetRequest.Builder get =
              QueueGetRequest.newBuilder().setName("q" + n).setAutoAck(random.nextBoolean());
          timeout(get::setTimeoutMs);
          call.setQueueGet(get);
        }
        case 3 -> {
          QueueAckRequest.Builder ack =
              QueueAckRequest.newBuilder().setName("q" + n).setRequeue(random.nextBoolean());
          if (!deliveries.isEmpty()) {
            ack.addDeliveryIds(deliveries.get(random.nextInt(deliveries.size())));
          }
          call.setQueueAck(ack);
        }
        case 4 ->
            call.setObjectCreate(
                create("l" + n, random.nextBoolean() ? ObjectType.LOCK : ObjectType.RLOCK));
        case 5 -> {
          LockAcquireRequest.Builder acquire =
              LockAcquireRequest.newBuilder().setName("l" + n).setThreadId(thread);
          timeout(acquire::setTimeoutMs);
          call.setLockAcquire(acquire);
        }
        case 6 -> {
          if (random.nextInt(4) == 0) {
            call.setLockHasQueuedThread(
                LockHasQueuedThreadRequest.newBuilder().setName("l" + n).setThreadId(thread));
          } else {
            call.setLockRelease(
                LockReleaseRequest.newBuilder().setName("l" + n).setThreadId(thread));
          }
        }
        case 7 ->
            call.setObjectCreate(
                create("c" + n, ObjectType.CONDITION)
                    .setCondition(ConditionOptions.newBuilder().setLockName("l" + n)));
        case 8 -> {
          ConditionAwaitRequest.Builder await =
              ConditionAwaitRequest.newBuilder().setName("c" + n).setThreadId(thread);
          timeout(await::setTimeoutMs);
          call.setConditionAwait(await);
        }
        case 9 -> {
          if (random.nextInt(4) == 0) {
            call.setConditionInfo(
                ConditionInfoRequest.newBuilder().setName("c" + n).setThreadId(thread));
          } else {
            call.setConditionSignal(
                ConditionSignalRequest.newBuilder()
                    .setName("c" + n)
                    .setThreadId(thread)
                    .setAll(random.nextBoolean()));
          }
        }
        case 10 -> {
          // Unfair ones, and ones starting below zero, as well as the default.
          SemaphoreOptions.Builder options =
              SemaphoreOptions.newBuilder().setPermits(random.nextInt(4) == 0 ? -1 : 2);
          if (random.nextBoolean()) {
            options.setFair(random.nextBoolean());
          }
          call.setObjectCreate(create("sem" + n, ObjectType.SEMAPHORE).setSemaphore(options));
        }
        case 11 -> {
          SemaphoreAcquireRequest.Builder acquire =
              SemaphoreAcquireRequest.newBuilder()
                  .setName("sem" + n)
                  .setThreadId(thread)
                  .setPermits(1 + random.nextInt(2))
                  .setBarge(random.nextInt(4) == 0);
          timeout(acquire::setTimeoutMs);
          call.setSemaphoreAcquire(acquire);
        }
        case 12 -> {
          switch (random.nextInt(5)) {
            case 0 ->
                call.setSemaphoreDrain(
                    SemaphoreDrainRequest.newBuilder().setName("sem" + n).setThreadId(thread));
            case 1 ->
                call.setSemaphoreReduce(
                    SemaphoreReduceRequest.newBuilder()
                        .setName("sem" + n)
                        .setReduction(random.nextInt(3)));
            default ->
                call.setSemaphoreRelease(
                    SemaphoreReleaseRequest.newBuilder()
                        .setName("sem" + n)
                        .setThreadId(thread)
                        .setPermits(1));
          }
        }
        case 13 -> {
          if (random.nextBoolean()) {
            call.setEventSet(EventSetRequest.newBuilder().setName("e" + n));
          } else {
            EventWaitRequest.Builder wait = EventWaitRequest.newBuilder().setName("e" + n);
            timeout(wait::setTimeoutMs);
            call.setEventWait(wait);
          }
        }
        case 14 -> {
          // b0 has one party, so that its awaits trip it (and run actions) often.
          call.setObjectCreate(
              create("b" + n, ObjectType.BARRIER)
                  .setBarrier(BarrierOptions.newBuilder().setParties(n.equals("0") ? 1 : 2)));
          if (!actionRuns.isEmpty() && random.nextInt(3) == 0) {
            // The party running a barrier action reports it (mostly from its own session).
            ActionRun run = actionRuns.remove(random.nextInt(actionRuns.size()));
            if (open.contains(run.session()) && random.nextInt(5) > 0) {
              caller = run.session();
            }
            call.setBarrierActionDone(
                BarrierActionDoneRequest.newBuilder()
                    .setName(run.barrier())
                    .setActionId(run.actionId())
                    .setFailed(random.nextInt(4) == 0)
                    .setFailure("boom"));
          } else if (random.nextInt(4) == 0) {
            // Barriers break often here (zero timeouts, cancels); a reset lets them trip again.
            call.setBarrierReset(BarrierResetRequest.newBuilder().setName("b" + n));
          } else if (random.nextBoolean()) {
            BarrierAwaitRequest.Builder await =
                BarrierAwaitRequest.newBuilder()
                    .setName("b" + n)
                    .setHasAction(random.nextBoolean());
            timeout(await::setTimeoutMs);
            call.setBarrierAwait(await);
            if (await.getHasAction()) {
              actionCallers.put(id, caller);
              actionBarriers.put(id, "b" + n);
            }
          }
        }
        case 15 -> {
          call.setObjectCreate(
              create("latch" + n, ObjectType.COUNT_DOWN_LATCH)
                  .setLatch(LatchOptions.newBuilder().setCount(2)));
          if (random.nextBoolean()) {
            call.setLatchCountDown(LatchCountDownRequest.newBuilder().setName("latch" + n));
          } else if (random.nextBoolean()) {
            LatchAwaitRequest.Builder await = LatchAwaitRequest.newBuilder().setName("latch" + n);
            timeout(await::setTimeoutMs);
            call.setLatchAwait(await);
          }
        }
        case 16 ->
            call.setValueAdd(
                ValueAddRequest.newBuilder()
                    .setName("v" + n)
                    .setDelta(Scalar.newBuilder().setLongValue(random.nextInt(5))));
        case 17 ->
            call.setValueCompareAndSet(
                ValueCompareAndSetRequest.newBuilder()
                    .setName("v" + n)
                    .setExpected(Scalar.newBuilder().setLongValue(random.nextInt(5)))
                    .setUpdate(Scalar.newBuilder().setLongValue(random.nextInt(5))));
        case 18 -> {
          if (random.nextBoolean()) {
            call.setMapPut(
                MapPutRequest.newBuilder()
                    .setName("m" + n)
                    .setKey(text("k" + random.nextInt(4)))
                    .setValue(text("v" + id))
                    .setIfAbsent(random.nextBoolean()));
          } else {
            call.setMapRemove(
                MapRemoveRequest.newBuilder()
                    .setName("m" + n)
                    .setKey(text("k" + random.nextInt(4))));
          }
        }
        case 19 ->
            call.setListAdd(
                ListAddRequest.newBuilder().setName("list" + n).addItems(text("x" + id)));
        case 20 -> {
          TaskSubmitRequest.Builder submit = TaskSubmitRequest.newBuilder();
          for (int i = random.nextInt(3); i >= 0; i--) {
            submit.addTasks(
                TaskSpec.newBuilder()
                    .setTaskName("T")
                    .addArguments(text("a" + i))
                    .setMaxRetries(random.nextInt(3))
                    .setDaemon(random.nextInt(4) == 0)
                    .setNoWorkerTimeoutMs(random.nextInt(3) == 0 ? 1 + random.nextInt(3_000) : 0));
          }
          call.setTaskSubmit(submit);
        }
        case 21 -> {
          switch (random.nextInt(4)) {
            case 0 ->
                call.setObjectCreate(
                    create("v" + n, ObjectType.VALUE)
                        .setValue(
                            ValueOptions.newBuilder()
                                .setInitial(Scalar.newBuilder().setLongValue(random.nextInt(5)))));
            case 1 -> call.setObjectCreate(create("m" + n, ObjectType.MAP));
            case 2 -> call.setObjectCreate(create("list" + n, ObjectType.LIST));
            default -> call.setObjectCreate(create("e" + n, ObjectType.EVENT));
          }
        }
        case 22 -> {
          String[] kinds = {"q", "l", "c", "sem", "e", "b", "latch", "v", "m", "list"};
          call.setObjectDelete(
              ObjectDeleteRequest.newBuilder().setName(kinds[random.nextInt(kinds.length)] + n));
        }
        default -> {
          if (random.nextInt(5) == 0) {
            TaskWaitRequest.Builder wait =
                TaskWaitRequest.newBuilder().setMine(true).setForget(true);
            timeout(wait::setTimeoutMs);
            call.setTaskWait(wait);
          } else if (taskIds.isEmpty() || random.nextInt(4) == 0) {
            call.setTaskCancel(
                TaskCancelRequest.newBuilder().addTaskIds(taskIds.isEmpty() ? 1 : taskIds.get(0)));
          } else {
            TaskWaitRequest.Builder wait =
                TaskWaitRequest.newBuilder()
                    .addTaskIds(taskIds.get(random.nextInt(taskIds.size())))
                    .setAll(random.nextBoolean())
                    .setForget(random.nextInt(3) == 0);
            timeout(wait::setTimeoutMs);
            call.setTaskWait(wait);
          }
        }
      }
      return call.build();
    }

    /** Reads and removals in place (iterators): from positions and cursors the core handed out. */
    private Call.Builder inPlace(Call.Builder call, String n) {
      int pick = random.nextInt(8);
      if (pick < 3) {
        QueueRangeRequest.Builder range =
            QueueRangeRequest.newBuilder().setName("q" + n).setPageSize(random.nextInt(4));
        if (!queuePositions.isEmpty() && random.nextBoolean()) {
          range.setCursor(queuePositions.get(random.nextInt(queuePositions.size())));
        }
        return call.setQueueRange(range);
      }
      if (pick < 5) {
        // Now and then a position no queue handed out, which must fail the same way on replay.
        QueuePosition position =
            queuePositions.isEmpty() || random.nextInt(6) == 0
                ? QueuePosition.newBuilder().setSeq(random.nextInt(40)).build()
                : queuePositions.get(random.nextInt(queuePositions.size()));
        return call.setQueueRemove(
            QueueRemoveRequest.newBuilder().setName("q" + n).setPosition(position));
      }
      if (pick == 5) {
        return call.setQueueClear(QueueClearRequest.newBuilder().setName("q" + n));
      }
      MapRangeRequest.Builder range =
          MapRangeRequest.newBuilder().setName("m" + n).setPageSize(random.nextInt(3));
      if (!mapCursors.isEmpty() && random.nextBoolean()) {
        range.setCursor(mapCursors.get(random.nextInt(mapCursors.size())));
      }
      return call.setMapRange(range);
    }

    /** A barrier action some session was told to run. */
    private record ActionRun(String session, long actionId, String barrier) {}

    private void timeout(java.util.function.LongConsumer set) {
      int pick = random.nextInt(4);
      if (pick == 0) {
        set.accept(0);
      } else if (pick < 3) {
        set.accept(random.nextInt(3_000));
      } // else: waits until served, cancelled or its session ends
    }

    private static ObjectCreateRequest.Builder create(String name, ObjectType type) {
      return ObjectCreateRequest.newBuilder().setName(name).setType(type);
    }

    private static Payload text(String s) {
      return Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8(s)).build();
    }
  }
}
