package dev.colony.server.core;

import dev.colony.proto.v1.Owner;
import dev.colony.proto.v1.RememberedReply;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.SessionSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
  /**
   * Results kept per session for calls sent again, whatever the client acknowledged; {@link
   * Limits#maxRetryBytesPerSession} bounds them by bytes too.
   */
  static final int RETRY_WINDOW = 4096;

  private static final int LABEL_BYTES = 6;

  final String id;

  /** The principal that opened the session: only commands carrying it may use the session. */
  final String owner;

  /** The IP address the session was opened from; empty in-process. */
  final String clientAddress;

  /** What status surfaces show instead of the id, which authorises calls. */
  final String label;

  final String clientName;
  final String host;
  final long pid;
  final long ttlMillis;
  final long openedAt;
  long expiresAt;
  int attachedStreams;
  boolean ended;
  boolean submittedTasks;

  /**
   * Blocked calls of this session by call id, in the order they were parked (which is the order
   * they are withdrawn in when the session ends, its stream closes or the coordinator restarts).
   */
  final Map<Long, Waiter> pending = new LinkedHashMap<>();

  /** Objects that hold something for this session and must be told when it ends. */
  final Set<SharedObject> holdings = new LinkedHashSet<>();

  /** The retry cache: results of this session's recent stream calls by call id. */
  private final NavigableMap<Long, Reply> replies = new TreeMap<>();

  /** What {@link #replies} holds, each counted as {@link Limits#storedSize}. */
  long replyBytes;

  /**
   * Calls below this id whose replies are not in the cache were forgotten for want of room (not
   * because the client said it had them), so a retry of one is refused, never applied again: the
   * coordinator cannot tell it from a first try otherwise. Ids only grow on a session's streams, so
   * a call below it that was never applied would have to overtake a later one, which one stream
   * does not do.
   */
  private long evictedBelow;

  /** Bounds the caches of all sessions together; null for a session that takes no calls. */
  private RetryCaches caches;

  Session(
      String id,
      String owner,
      String clientAddress,
      String clientName,
      String host,
      long pid,
      long ttlMillis,
      long now) {
    this.id = id;
    this.owner = owner;
    this.clientAddress = clientAddress;
    this.label = labelOf(id);
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

  /** The session's short label: a digest of its id, from which the id cannot be found. */
  public String label() {
    return label;
  }

  /** Whether commands carrying {@code principal} may use this session. */
  boolean isOwnedBy(String principal) {
    return owner.equals(principal);
  }

  /**
   * The first 12 hex digits of the SHA-256 of a session id: short enough to read, long enough that
   * two live sessions practically never share one, and useless for acting in the session.
   */
  static String labelOf(String sessionId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, LABEL_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
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
        .setSessionLabel(label)
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

  /** Joins the bound of all sessions' caches; a session takes calls only once it has. */
  void boundBy(RetryCaches caches) {
    this.caches = caches;
    caches.resized(this);
  }

  /**
   * Whether {@code callId} is a call whose reply this session forgot for want of room, so it must
   * not be applied again. Ask only when {@link #remembered} has nothing.
   */
  boolean forgot(long callId) {
    return callId >= 0 && callId < evictedBelow;
  }

  /**
   * Remembers a stream call's result; unary calls (ids from 2^63 up) are never sent again. Past the
   * session's count or byte bound, or all sessions' byte bound, the oldest replies are forgotten
   * (lowest call id first).
   */
  void remember(long callId, Reply reply) {
    if (callId < 0 || caches == null) {
      return;
    }
    caches.resizing(this);
    Reply old = replies.put(callId, reply);
    if (old != null) {
      replyBytes -= sizeOf(old);
    }
    replyBytes += sizeOf(reply);
    // The newest reply stays whatever its size (only the bound of all caches may take it): it is
    // the one a client that reconnects most likely did not get.
    while (replies.size() > RETRY_WINDOW
        || (replies.size() > 1 && replyBytes > caches.maxBytesPerSession())) {
      evictOldest();
    }
    caches.resized(this);
    caches.trim();
  }

  /** Forgets the oldest reply, for want of room; the caller keeps {@link RetryCaches} in step. */
  void evictOldest() {
    Map.Entry<Long, Reply> oldest = replies.pollFirstEntry();
    replyBytes -= sizeOf(oldest.getValue());
    evictedBelow = Math.max(evictedBelow, oldest.getKey() + 1);
  }

  /** The client has every result below {@code callId}. */
  void forgetBelow(long callId) {
    if (callId <= 0 || replies.isEmpty() || replies.firstKey() >= callId) {
      return;
    }
    caches.resizing(this);
    Map<Long, Reply> acknowledged = replies.headMap(callId);
    for (Reply reply : acknowledged.values()) {
      replyBytes -= sizeOf(reply);
    }
    acknowledged.clear();
    caches.resized(this);
  }

  /** The session ended: its cache no longer counts. */
  void forgetAll() {
    if (caches != null) {
      caches.resizing(this);
      replies.clear();
      replyBytes = 0;
      caches.resized(this);
    }
  }

  private static long sizeOf(Reply reply) {
    return Limits.storedSize(reply.getSerializedSize());
  }

  /** A whole lease from now, even if the old one ran out while the coordinator was down. */
  void restartLease(long now) {
    expiresAt = now + ttlMillis;
  }

  void renew(long now) {
    expiresAt = Math.max(expiresAt, now + ttlMillis);
  }

  // ---- snapshots ------------------------------------------------------------------------

  /** The session's own fields; its blocked calls are written by the objects they wait on. */
  SessionSnapshot toSnapshot() {
    SessionSnapshot.Builder snapshot =
        SessionSnapshot.newBuilder()
            .setId(id)
            .setOwner(owner)
            .setClientAddress(clientAddress)
            .setClientName(clientName)
            .setHost(host)
            .setPid(pid)
            .setTtlMs(ttlMillis)
            .setOpenedAtMs(openedAt)
            .setExpiresAtMs(expiresAt)
            .setAttachedStreams(attachedStreams)
            .setSubmittedTasks(submittedTasks)
            .addAllPendingCallIds(pending.keySet())
            .setRetryEvictedBelow(evictedBelow);
    replies.forEach(
        (callId, reply) ->
            snapshot.addReplies(RememberedReply.newBuilder().setCallId(callId).setReply(reply)));
    for (SharedObject object : holdings) {
      snapshot.addHoldings(object.name());
    }
    return snapshot.build();
  }

  /**
   * A session as a snapshot wrote it, without its holdings and blocked calls (the core adds them
   * once the objects are restored).
   */
  static Session fromSnapshot(SessionSnapshot snapshot) {
    Session session =
        new Session(
            snapshot.getId(),
            snapshot.getOwner(),
            snapshot.getClientAddress(),
            snapshot.getClientName(),
            snapshot.getHost(),
            snapshot.getPid(),
            snapshot.getTtlMs(),
            snapshot.getOpenedAtMs());
    session.expiresAt = snapshot.getExpiresAtMs();
    session.attachedStreams = snapshot.getAttachedStreams();
    session.submittedTasks = snapshot.getSubmittedTasks();
    for (RememberedReply remembered : snapshot.getRepliesList()) {
      session.replies.put(remembered.getCallId(), remembered.getReply());
      session.replyBytes += sizeOf(remembered.getReply());
    }
    session.evictedBelow = snapshot.getRetryEvictedBelow();
    return session;
  }

  /** A session that ended, for what still names it (an orphaned task's submitter). */
  static Session ended(String id) {
    Session session = new Session(id, "", "", "", "", 0, 0, 0);
    session.ended = true;
    return session;
  }
}
