package dev.colony.server.core;

import dev.colony.proto.v1.CallSnapshot;
import dev.colony.proto.v1.SessionSnapshot;
import dev.colony.proto.v1.WaiterRef;
import dev.colony.proto.v1.WaiterSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The parts of a restore that every object reads the same way: sessions by id, calls, and waiters,
 * which are created where a snapshot wrote them (with their object) and found again by reference
 * (from timers, a lock's queue, a task, a deadlock). A snapshot that names something that does not
 * exist is refused.
 */
final class SnapshotReader {
  private record Key(String sessionId, long callId) {}

  private final Map<String, Session> sessions;
  private final Outbox outbox;
  private final Map<Key, Waiter> waiters = new HashMap<>();

  SnapshotReader(Map<String, Session> sessions, Outbox outbox) {
    this.sessions = sessions;
    this.outbox = outbox;
  }

  Session session(String id) {
    Session session = sessions.get(id);
    if (session == null) {
      throw invalid("it names session " + id + ", which it does not hold");
    }
    return session;
  }

  CallContext call(CallSnapshot call) {
    return new CallContext(
        session(call.getSessionId()),
        call.getCallId(),
        call.getOneWay(),
        call.getStreamId(),
        outbox,
        call.getStartedAtMs());
  }

  /** Creates a parked waiter; its session's pending calls and its timer are restored later. */
  <W extends Waiter> W waiter(WaiterSnapshot snapshot, Function<CallContext, W> create) {
    W waiter = create.apply(call(snapshot.getCall()));
    Key key = new Key(snapshot.getCall().getSessionId(), snapshot.getCall().getCallId());
    if (waiters.putIfAbsent(key, waiter) != null) {
      throw invalid("call " + key + " waits in two places");
    }
    waiter.restoreParked(snapshot.getDeadlineMs());
    return waiter;
  }

  <W extends Waiter> W waiter(WaiterRef ref, Class<W> type) {
    Waiter waiter = waiters.get(new Key(ref.getSessionId(), ref.getCallId()));
    if (!type.isInstance(waiter)) {
      throw invalid(
          "it refers to call "
              + ref.getCallId()
              + " of session "
              + ref.getSessionId()
              + " as a "
              + type.getSimpleName()
              + ", but that call waits as "
              + waiter);
    }
    return type.cast(waiter);
  }

  /** Puts every restored waiter in its session's pending calls, in the snapshot's order. */
  void restorePending(List<SessionSnapshot> snapshots) {
    int placed = 0;
    for (SessionSnapshot snapshot : snapshots) {
      Session session = session(snapshot.getId());
      for (long callId : snapshot.getPendingCallIdsList()) {
        Waiter waiter = waiters.get(new Key(snapshot.getId(), callId));
        if (waiter == null) {
          throw invalid("call " + callId + " of session " + snapshot.getId() + " waits nowhere");
        }
        session.pending.put(callId, waiter);
        placed++;
      }
    }
    if (placed != waiters.size()) {
      throw invalid("some waiters are not among their sessions' pending calls");
    }
  }

  static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("not a valid core snapshot: " + why);
  }
}
