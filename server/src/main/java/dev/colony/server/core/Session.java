package dev.colony.server.core;

import dev.colony.proto.v1.Owner;
import dev.colony.proto.v1.Reply;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A client's lease. Everything a session holds is recorded through {@link #hold}, so that ending
 * the session releases it by one rule for every object type (see session.proto).
 */
public final class Session {
  /** Results kept per session for calls sent again, whatever the client acknowledged. */
  static final int RETRY_WINDOW = 4096;

  final String id;
  final String clientName;
  final String host;
  final long pid;
  final long ttlMillis;
  final long openedAt;
  long expiresAt;
  int attachedStreams;
  boolean ended;
  boolean submittedTasks;

  /** Blocked calls of this session by call id. */
  final Map<Long, Waiter> pending = new HashMap<>();

  /** Objects that hold something for this session and must be told when it ends. */
  final Set<SharedObject> holdings = new LinkedHashSet<>();

  /** The retry cache: results of this session's recent stream calls by call id. */
  private final NavigableMap<Long, Reply> replies = new TreeMap<>();

  Session(String id, String clientName, String host, long pid, long ttlMillis, long now) {
    this.id = id;
    this.clientName = clientName;
    this.host = host;
    this.pid = pid;
    this.ttlMillis = ttlMillis;
    this.openedAt = now;
    this.expiresAt = now + ttlMillis;
  }

  public String id() {
    return id;
  }

  public String clientName() {
    return clientName;
  }

  public String host() {
    return host;
  }

  public long pid() {
    return pid;
  }

  public long ttlMillis() {
    return ttlMillis;
  }

  public long expiresAt() {
    return expiresAt;
  }

  public boolean isEnded() {
    return ended;
  }

  /** Connect streams attached to the session right now. */
  public int attachedStreams() {
    return attachedStreams;
  }

  public int pendingCalls() {
    return pending.size();
  }

  /** Records that {@code object} holds something for this session. */
  public void hold(SharedObject object) {
    holdings.add(object);
  }

  /** Records that {@code object} no longer holds anything for this session. */
  public void unhold(SharedObject object) {
    holdings.remove(object);
  }

  public Owner owner(long threadId) {
    return Owner.newBuilder()
        .setSessionId(id)
        .setThreadId(threadId)
        .setClientName(clientName)
        .setHost(host)
        .setPid(pid)
        .build();
  }

  /** The result of an earlier call with this id, if it is still remembered. */
  Reply remembered(long callId) {
    return replies.get(callId);
  }

  /** Remembers a stream call's result; unary calls (ids from 2^63 up) are never sent again. */
  void remember(long callId, Reply reply) {
    if (callId < 0) {
      return;
    }
    replies.put(callId, reply);
    if (replies.size() > RETRY_WINDOW) {
      replies.pollFirstEntry();
    }
  }

  /** The client has every result below {@code callId}. */
  void forgetBelow(long callId) {
    if (callId > 0) {
      replies.headMap(callId).clear();
    }
  }

  int rememberedCount() {
    return replies.size();
  }

  /** A whole lease from now, even if the old one ran out while the coordinator was down. */
  void restartLease(long now) {
    expiresAt = now + ttlMillis;
  }

  void renew(long now) {
    expiresAt = Math.max(expiresAt, now + ttlMillis);
  }
}
