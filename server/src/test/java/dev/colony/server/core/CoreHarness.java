package dev.colony.server.core;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CallCommand;
import dev.colony.proto.v1.CancelCommand;
import dev.colony.proto.v1.CloseSessionCommand;
import dev.colony.proto.v1.Command;
import dev.colony.proto.v1.CommandBatch;
import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.KeepAliveCommand;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.OpenSessionCommand;
import dev.colony.proto.v1.Output;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.TickCommand;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerFrameCommand;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerJoinCommand;
import dev.colony.proto.v1.WorkerLeaveCommand;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Drives a {@link CoordinatorCore} from a test as the apply loop would: every action is a command
 * applied in a batch stamped with a fake clock, and the outputs are routed back to the calls and
 * fake workers they are addressed to. Everything is synchronous and deterministic; time passes only
 * through {@link #advance}.
 */
final class CoreHarness {
  final AtomicLong clock = new AtomicLong(1_000_000);
  final CoordinatorCore core;
  private final AtomicLong callIds = new AtomicLong();
  private final AtomicLong streamIds = new AtomicLong(100);
  private final Map<Long, PendingCall> pending = new HashMap<>();
  private final Map<Long, Consumer<CoordinatorFrame>> workerStreams = new HashMap<>();
  private final Map<String, Long> workerStreamById = new HashMap<>();
  private final Map<Long, String> welcomed = new HashMap<>();

  CoreHarness() {
    this(Limits.defaults());
  }

  CoreHarness(Limits limits) {
    this(limits, CoreOptions.defaults());
  }

  CoreHarness(Limits limits, CoreOptions options) {
    this(new CoordinatorCore(limits, options));
  }

  /** Drives an existing core, e.g. one restored from a snapshot. */
  CoreHarness(CoordinatorCore core) {
    this.core = core;
  }

  /** Goes on with the call ids of {@code other}, as the same clients would after a restore. */
  CoreHarness continuing(CoreHarness other) {
    callIds.set(other.callIds.get());
    clock.set(other.clock.get());
    return this;
  }

  /** Applies one command now and routes its outputs. */
  void apply(Command.Builder command) {
    core.apply(CommandBatch.newBuilder().setNowMs(clock.get()).addCommands(command).build());
    for (Output output : core.outbox().drain()) {
      route(output);
    }
  }

  private void route(Output output) {
    switch (output.getKindCase()) {
      case REPLY -> {
        PendingCall call = pending.get(output.getReply().getId());
        if (call != null) {
          call.accept(output.getReply());
        }
      }
      case WORKER -> {
        if (output.getWorker().hasWelcome()) {
          welcomed.put(output.getTo(), output.getWorker().getWelcome().getWorkerId());
        }
        Consumer<CoordinatorFrame> worker = workerStreams.get(output.getTo());
        if (worker != null) {
          worker.accept(output.getWorker());
        }
      }
      case FAILED -> throw new AssertionError("request " + output.getTo() + " failed: " + output);
      default -> {}
    }
  }

  /** Opens a session with the given lease and returns its id. */
  String session(String id, long ttlMillis) {
    apply(
        Command.newBuilder()
            .setOpenSession(
                OpenSessionCommand.newBuilder()
                    .setSessionId(id)
                    .setReplyTo(streamIds.incrementAndGet())
                    .setRequest(
                        SessionOpenRequest.newBuilder()
                            .setClientName("test-" + id)
                            .setHost("localhost")
                            .setPid(4242)
                            .setTtlMs(ttlMillis))));
    return id;
  }

  String session(String id) {
    return session(id, 10_000);
  }

  void closeSession(String id) {
    apply(
        Command.newBuilder()
            .setCloseSession(
                CloseSessionCommand.newBuilder()
                    .setSessionId(id)
                    .setReplyTo(streamIds.incrementAndGet())));
  }

  void keepAlive(String id) {
    apply(Command.newBuilder().setKeepAlive(KeepAliveCommand.newBuilder().setSessionId(id)));
  }

  /** Creates (or gets) an object; fails the test if the core refuses. */
  void create(String session, ObjectCreateRequest.Builder request) {
    call(session, Call.newBuilder().setObjectCreate(request)).reply();
  }

  void create(String session, String name, ObjectType type) {
    create(session, ObjectCreateRequest.newBuilder().setName(name).setType(type));
  }

  /** Starts a call; the returned handle holds its reply once the core sends it. */
  PendingCall call(String session, Call.Builder call) {
    PendingCall handle = new PendingCall(callIds.incrementAndGet());
    pending.put(handle.id, handle);
    apply(
        Command.newBuilder()
            .setCall(
                CallCommand.newBuilder()
                    .setSessionId(session)
                    .setStreamId(1)
                    .setCall(call.setId(handle.id))));
    return handle;
  }

  /**
   * Sends {@code call} again with the id of {@code earlier}, as a client that reconnected does; the
   * returned handle holds what the core answers this time.
   */
  PendingCall resend(String session, PendingCall earlier, Call.Builder call) {
    PendingCall handle = new PendingCall(earlier.id);
    pending.put(handle.id, handle);
    apply(
        Command.newBuilder()
            .setCall(
                CallCommand.newBuilder()
                    .setSessionId(session)
                    .setStreamId(1)
                    .setCall(call.setId(handle.id))));
    return handle;
  }

  void cancel(String session, PendingCall call) {
    apply(
        Command.newBuilder()
            .setCancel(CancelCommand.newBuilder().setSessionId(session).setCallId(call.id)));
  }

  /** A worker joins; the frames the coordinator sends it go to {@code frames}. Returns its id. */
  String workerJoin(WorkerHello hello, Consumer<CoordinatorFrame> frames) {
    long stream = streamIds.incrementAndGet();
    workerStreams.put(stream, frames);
    apply(
        Command.newBuilder()
            .setWorkerJoin(WorkerJoinCommand.newBuilder().setStreamId(stream).setHello(hello)));
    String id = welcomed.get(stream);
    workerStreamById.put(id, stream);
    return id;
  }

  void workerFrame(String workerId, WorkerFrame frame) {
    apply(
        Command.newBuilder()
            .setWorkerFrame(
                WorkerFrameCommand.newBuilder()
                    .setStreamId(workerStreamById.get(workerId))
                    .setFrame(frame)));
  }

  void workerLeft(String workerId, String why) {
    apply(
        Command.newBuilder()
            .setWorkerLeave(
                WorkerLeaveCommand.newBuilder()
                    .setStreamId(workerStreamById.get(workerId))
                    .setWhy(why)));
  }

  /**
   * Moves the fake clock forward without applying anything, as when the coordinator is down: the
   * next command applied is the first at the new time.
   */
  void skip(long millis) {
    clock.addAndGet(millis);
  }

  /** Moves the fake clock forward and fires every deadline that passed. */
  void advance(long millis) {
    clock.addAndGet(millis);
    apply(Command.newBuilder().setTick(TickCommand.getDefaultInstance()));
  }

  static final class PendingCall {
    final long id;
    private Reply reply;
    private int replies;

    PendingCall(long id) {
      this.id = id;
    }

    private void accept(Reply reply) {
      this.reply = reply;
      replies++;
    }

    boolean isDone() {
      return replies > 0;
    }

    /** The successful reply; throws AssertionError if none came, it failed, or came twice. */
    Reply reply() {
      if (replies != 1) {
        throw new AssertionError("expected exactly one reply to call " + id + ", got " + replies);
      }
      if (reply.hasFailure()) {
        throw new AssertionError("call " + id + " failed: " + reply.getFailure());
      }
      return reply;
    }

    /** The failure of a call that must have failed. */
    dev.colony.proto.v1.Failure failure() {
      if (replies != 1 || !reply.hasFailure()) {
        throw new AssertionError("expected call " + id + " to fail once, got " + reply);
      }
      return reply.getFailure();
    }
  }
}
