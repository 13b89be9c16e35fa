package dev.colony.server.core;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * The bound on all sessions' retry caches together ({@link Limits#maxRetryBytes}). Each session
 * bounds its own cache by count and bytes; this takes replies from the largest cache first when the
 * sum is over, so a session that keeps many or large replies loses its own before a quiet session
 * loses any. Ties go to the session id, so eviction is the same on every replay.
 */
final class RetryCaches {
  private final Settings settings;
  private long bytes;

  // Sessions with a non-empty cache, smallest first. A session's size is its sort key: it leaves
  // the set before its size changes and comes back after (see {@link #resizing}).
  private final TreeSet<Session> bySize =
      new TreeSet<>(Comparator.<Session>comparingLong(s -> s.replyBytes).thenComparing(s -> s.id));

  RetryCaches(Settings settings) {
    this.settings = settings;
  }

  /** What one session's cache may hold ({@link Limits#maxRetryBytesPerSession}). */
  long maxBytesPerSession() {
    return settings.limits().maxRetryBytesPerSession();
  }

  /** Bytes all retry caches hold, as the limits count them. */
  long bytes() {
    return bytes;
  }

  /**
   * {@code session}'s cache is about to change size: it leaves the order until {@link #resized}.
   */
  void resizing(Session session) {
    if (session.replyBytes > 0) {
      bySize.remove(session);
    }
    bytes -= session.replyBytes;
  }

  /** {@code session}'s cache has its new size. */
  void resized(Session session) {
    bytes += session.replyBytes;
    if (session.replyBytes > 0 && !session.ended) {
      bySize.add(session);
    }
  }

  /** Forgets the oldest replies of the largest caches until all of them fit. */
  void trim() {
    while (bytes > settings.limits().maxRetryBytes() && !bySize.isEmpty()) {
      Session largest = bySize.last();
      resizing(largest);
      largest.evictOldest();
      resized(largest);
    }
  }
}
