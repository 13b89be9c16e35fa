package dev.colony.server.core;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.server.store.CommandLog;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a {@link CoordinatorCore} from a test: a fake clock, sessions, and calls whose replies are
 * captured. The core runs commands on the calling thread, so everything here is synchronous and
 * deterministic; time passes only through {@link #advance}.
 */
final class CoreHarness {
  final AtomicLong clock = new AtomicLong(1_000_000);
  final CoordinatorCore core;
  private final AtomicLong callIds = new AtomicLong();

  CoreHarness() {
    this(Limits.defaults());
  }

  CoreHarness(Limits limits) {
    this(limits, CoreOptions.defaults());
  }

  CoreHarness(Limits limits, CoreOptions options) {
    core =
        new CoordinatorCore(
            limits, options, clock::get, CommandLog.inMemory(), CoordinatorCore.Alarm.MANUAL);
  }

  /** Opens a session with the given lease and returns its id. */
  String session(String id, long ttlMillis) {
    core.openSession(
            id,
            SessionOpenRequest.newBuilder()
                .setClientName("test-" + id)
                .setHost("localhost")
                .setPid(4242)
                .setTtlMs(ttlMillis)
                .build())
        .join();
    return id;
  }

  String session(String id) {
    return session(id, 10_000);
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
    PendingCall pending = new PendingCall(callIds.incrementAndGet());
    core.execute(session, call.setId(pending.id).build(), pending::accept);
    return pending;
  }

  void cancel(String session, PendingCall call) {
    core.cancel(session, call.id);
  }

  /** Moves the fake clock forward and fires every deadline that passed. */
  void advance(long millis) {
    clock.addAndGet(millis);
    core.tick();
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
