package dev.colony.server.core;

import dev.colony.proto.v1.CallSnapshot;
import dev.colony.proto.v1.WaiterRef;
import dev.colony.proto.v1.WaiterSnapshot;
import java.util.Map;

/**
 * The parts of a snapshot that every object writes the same way: calls, waiters and the sessions
 * they belong to. Sessions and objects are written by name, so the writer checks that what it names
 * is what a reader will find under that name; state it cannot name that way is refused with an
 * exception rather than left out.
 */
final class SnapshotWriter {
  private final Map<String, Session> sessions;
  private final ObjectRegistry objects;

  SnapshotWriter(Map<String, Session> sessions, ObjectRegistry objects) {
    this.sessions = sessions;
    this.objects = objects;
  }

  /** True if {@code session} is the open session of its id. */
  boolean isOpen(Session session) {
    return !session.isEnded() && sessions.get(session.id()) == session;
  }

  /** True if {@code object} is the registry's object of its name. */
  boolean isRegistered(SharedObject object) {
    return objects.find(object.name()) == object;
  }

  /** The id of an open session. */
  String sessionId(Session session) {
    if (!isOpen(session)) {
      throw new IllegalStateException(
          "cannot snapshot a reference to session " + session.id() + ", which is not open");
    }
    return session.id();
  }

  CallSnapshot call(CallContext call) {
    if (call.isDone()) {
      throw new IllegalStateException(
          "cannot snapshot call " + call.callId() + ": it was answered but still waits");
    }
    return CallSnapshot.newBuilder()
        .setSessionId(sessionId(call.session()))
        .setCallId(call.callId())
        .setOneWay(call.isOneWay())
        .setStreamId(call.streamId())
        .setStartedAtMs(call.now())
        .build();
  }

  /** A parked waiter; one that is no longer waiting has no business where it was found. */
  WaiterSnapshot waiter(Waiter waiter) {
    if (!waiter.isWaiting() || waiter.session().pending.get(waiter.call().callId()) != waiter) {
      throw new IllegalStateException(
          "cannot snapshot call "
              + waiter.call().callId()
              + " of session "
              + waiter.session().id()
              + ": it is queued but no longer waiting");
    }
    return WaiterSnapshot.newBuilder()
        .setCall(call(waiter.call()))
        .setDeadlineMs(waiter.deadline())
        .build();
  }

  WaiterRef ref(Waiter waiter) {
    if (!waiter.isWaiting()) {
      throw new IllegalStateException(
          "cannot snapshot a reference to call " + waiter.call().callId() + ": it is not waiting");
    }
    return WaiterRef.newBuilder()
        .setSessionId(sessionId(waiter.session()))
        .setCallId(waiter.call().callId())
        .build();
  }
}
