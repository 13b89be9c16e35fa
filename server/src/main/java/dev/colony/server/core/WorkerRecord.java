package dev.colony.server.core;

import dev.colony.proto.v1.WorkerHello;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A worker daemon the coordinator knows: who it is, the stream it is on (none while it is away
 * after a restart), its credits and the tasks it runs. As a {@link Timed} it has its roster check
 * its heartbeat.
 */
final class WorkerRecord extends Timed {
  final String id;

  /** The principal that registered it: only a stream with the same one may resume it. */
  final String principal;

  WorkerHello hello;
  long streamId;
  final long joinedAt;
  final Map<Long, TaskRecord> running = new LinkedHashMap<>();
  int credits;
  boolean draining;
  boolean gone;
  long lastSeen;
  long graceUntil;
  private final WorkerRoster roster;

  /** A worker of {@code roster}; null for the stand-in of a worker long gone (only its id). */
  WorkerRecord(
      WorkerRoster roster,
      String id,
      String principal,
      WorkerHello hello,
      long streamId,
      long now) {
    this.roster = roster;
    this.id = id;
    this.principal = principal;
    this.hello = hello;
    this.streamId = streamId;
    this.joinedAt = now;
    this.lastSeen = now;
  }

  @Override
  protected boolean isLive() {
    return !gone;
  }

  @Override
  protected void fire(long now) {
    roster.heartbeatDue(this, now);
  }
}
