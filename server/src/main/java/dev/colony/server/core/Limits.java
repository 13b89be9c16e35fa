package dev.colony.server.core;

import java.util.function.Consumer;

/**
 * Every bound the coordinator enforces. Exceeding one is a clear RESOURCE_EXHAUSTED or
 * INVALID_ARGUMENT error, never a silent drop.
 *
 * @param maxNameLength longest object name, in characters
 * @param maxPayloadBytes largest single item, key or value
 * @param maxObjects shared objects alive at once
 * @param maxSessions sessions alive at once
 * @param maxWaitersPerObject callers blocked on one object at once
 * @param maxItemsPerContainer items in one queue, map or list
 * @param defaultSessionTtlMillis lease of a session that does not ask for one
 * @param workerHeartbeatIntervalMillis how often workers send a heartbeat
 * @param workerHeartbeatTimeoutMillis silence after which a worker is declared gone
 * @param maxSessionsPerPrincipal sessions alive at once opened with one token (credentials), so one
 *     leaked or looping token cannot take every session; not counted without tokens
 * @param maxSessionsPerAddress sessions alive at once opened from one client IP address
 * @param maxSessionTtlMillis the longest lease a session may ask for: a client that dies holding
 *     locks keeps them at most this long
 * @param maxBytesPerContainer bytes one queue, map or list may store (see {@link #storedSize}), so
 *     one object cannot take the whole of {@code maxStoredBytes}
 * @param maxStoredBytes bytes stored in all objects and tasks together: what bounds the heap the
 *     coordinator's state takes, whatever the number of objects
 * @param maxWaitersPerSession calls one session may have blocked at once, on all objects together,
 *     so one client cannot fill every object's waiter list
 * @param maxRetryBytesPerSession bytes of past replies one session's retry cache keeps (each
 *     counted as {@link #storedSize}), besides its count bound of {@link Session#RETRY_WINDOW}:
 *     past either, its oldest replies are forgotten, and a call sent again whose reply was
 *     forgotten is refused RETRY_EXPIRED rather than applied twice
 * @param maxRetryBytes bytes of past replies all sessions' retry caches keep together: past it, the
 *     largest cache forgets its oldest replies first, so one busy session cannot push out the
 *     others' replies while it has more than they do
 */
public record Limits(
    int maxNameLength,
    int maxPayloadBytes,
    int maxObjects,
    int maxSessions,
    int maxWaitersPerObject,
    long maxItemsPerContainer,
    long defaultSessionTtlMillis,
    long workerHeartbeatIntervalMillis,
    long workerHeartbeatTimeoutMillis,
    int maxSessionsPerPrincipal,
    int maxSessionsPerAddress,
    long maxSessionTtlMillis,
    long maxBytesPerContainer,
    long maxStoredBytes,
    int maxWaitersPerSession,
    long maxRetryBytesPerSession,
    long maxRetryBytes) {

  public static final long MIN_SESSION_TTL_MILLIS = 1_000;

  /**
   * What one stored item, entry or task costs besides its encoded bytes: the objects that hold it
   * on the heap. Counting it keeps a flood of tiny items bounded by bytes too.
   */
  public static final int ENTRY_OVERHEAD_BYTES = 128;

  /** Room for the rest of a message around its payload; gRPC's own default is the floor. */
  private static final int MIN_MESSAGE_BYTES = 4 << 20;

  private static final int MESSAGE_HEADROOM_BYTES = 64 << 10;

  /**
   * The defaults fit a 1 GiB heap: all stored data takes at most 256 MiB and all retry caches 64
   * MiB, and a snapshot (which copies both once while it is written) about as much again.
   */
  /** What a coordinator's heap keeps besides its stored data, retry caches and a snapshot. */
  public static final long HEAP_HEADROOM_BYTES = 256L << 20;

  public static Limits defaults() {
    return new Limits(
        200,
        1 << 20,
        100_000,
        10_000,
        100_000,
        10_000_000,
        10_000,
        1_000,
        5_000,
        5_000,
        1_000,
        3_600_000,
        128L << 20,
        256L << 20,
        10_000,
        4L << 20,
        64L << 20);
  }

  public Limits withMaxNameLength(int value) {
    return edit(e -> e.maxNameLength = value);
  }

  public Limits withMaxPayloadBytes(int value) {
    return edit(e -> e.maxPayloadBytes = value);
  }

  public Limits withMaxObjects(int value) {
    return edit(e -> e.maxObjects = value);
  }

  public Limits withMaxSessions(int value) {
    return edit(e -> e.maxSessions = value);
  }

  public Limits withMaxWaitersPerObject(int value) {
    return edit(e -> e.maxWaitersPerObject = value);
  }

  public Limits withMaxItemsPerContainer(long value) {
    return edit(e -> e.maxItemsPerContainer = value);
  }

  public Limits withDefaultSessionTtlMillis(long value) {
    return edit(e -> e.defaultSessionTtlMillis = value);
  }

  public Limits withWorkerHeartbeatIntervalMillis(long value) {
    return edit(e -> e.workerHeartbeatIntervalMillis = value);
  }

  public Limits withWorkerHeartbeatTimeoutMillis(long value) {
    return edit(e -> e.workerHeartbeatTimeoutMillis = value);
  }

  public Limits withMaxSessionsPerPrincipal(int value) {
    return edit(e -> e.maxSessionsPerPrincipal = value);
  }

  public Limits withMaxSessionsPerAddress(int value) {
    return edit(e -> e.maxSessionsPerAddress = value);
  }

  public Limits withMaxSessionTtlMillis(long value) {
    return edit(e -> e.maxSessionTtlMillis = value);
  }

  public Limits withMaxBytesPerContainer(long value) {
    return edit(e -> e.maxBytesPerContainer = value);
  }

  public Limits withMaxStoredBytes(long value) {
    return edit(e -> e.maxStoredBytes = value);
  }

  public Limits withMaxWaitersPerSession(int value) {
    return edit(e -> e.maxWaitersPerSession = value);
  }

  public Limits withMaxRetryBytesPerSession(long value) {
    return edit(e -> e.maxRetryBytesPerSession = value);
  }

  public Limits withMaxRetryBytes(long value) {
    return edit(e -> e.maxRetryBytes = value);
  }

  /** What one item, key-and-value entry or task spec of {@code encodedBytes} counts as stored. */
  public static long storedSize(long encodedBytes) {
    return encodedBytes + ENTRY_OVERHEAD_BYTES;
  }

  /**
   * The largest gRPC message the coordinator accepts: one payload at its limit plus the rest of the
   * call, so a payload just over its limit still arrives and gets PAYLOAD_TOO_LARGE.
   */
  /**
   * How much the coordinator writes to a stream whose client reads none of it (its transport
   * buffers are full) before it ends that stream: four of the largest messages, and at least 64
   * MiB. The coordinator never waits on a client, so this is what bounds its memory for a client
   * that stopped reading.
   */
  public long maxUnreadBytes() {
    return Math.max(MIN_UNREAD_BYTES, 4L * maxMessageBytes());
  }

  private static final long MIN_UNREAD_BYTES = 64L << 20;

  public int maxMessageBytes() {
    long wanted = (long) maxPayloadBytes + MESSAGE_HEADROOM_BYTES;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_MESSAGE_BYTES, wanted));
  }

  /**
   * These limits with the byte bounds sized for a JVM heap of {@code maxHeapBytes}, by the rule the
   * README gives: stored data and retry caches take at most half of what is left after {@link
   * #HEAP_HEADROOM_BYTES} (a snapshot copies them once more while it is written), four fifths of it
   * for stored data and one fifth for retry caches; one queue, map or list at most half of the
   * stored data. A 1 GiB heap gets 307 MiB stored, 154 MiB per container, 77 MiB of retry caches.
   */
  public Limits sizedForHeap(long maxHeapBytes) {
    long share = Math.max(maxHeapBytes - HEAP_HEADROOM_BYTES, HEAP_HEADROOM_BYTES) / 2;
    long stored = share / 5 * 4;
    return withMaxStoredBytes(stored)
        .withMaxBytesPerContainer(stored / 2)
        .withMaxRetryBytes(share - stored);
  }

  /** A copy of these limits with one changed: what each {@code with…} method makes. */
  private Limits edit(Consumer<Editor> change) {
    Editor editor = new Editor(this);
    change.accept(editor);
    return editor.build();
  }

  private static final class Editor {
    private int maxNameLength;
    private int maxPayloadBytes;
    private int maxObjects;
    private int maxSessions;
    private int maxWaitersPerObject;
    private long maxItemsPerContainer;
    private long defaultSessionTtlMillis;
    private long workerHeartbeatIntervalMillis;
    private long workerHeartbeatTimeoutMillis;
    private int maxSessionsPerPrincipal;
    private int maxSessionsPerAddress;
    private long maxSessionTtlMillis;
    private long maxBytesPerContainer;
    private long maxStoredBytes;
    private int maxWaitersPerSession;
    private long maxRetryBytesPerSession;
    private long maxRetryBytes;

    Editor(Limits from) {
      maxNameLength = from.maxNameLength;
      maxPayloadBytes = from.maxPayloadBytes;
      maxObjects = from.maxObjects;
      maxSessions = from.maxSessions;
      maxWaitersPerObject = from.maxWaitersPerObject;
      maxItemsPerContainer = from.maxItemsPerContainer;
      defaultSessionTtlMillis = from.defaultSessionTtlMillis;
      workerHeartbeatIntervalMillis = from.workerHeartbeatIntervalMillis;
      workerHeartbeatTimeoutMillis = from.workerHeartbeatTimeoutMillis;
      maxSessionsPerPrincipal = from.maxSessionsPerPrincipal;
      maxSessionsPerAddress = from.maxSessionsPerAddress;
      maxSessionTtlMillis = from.maxSessionTtlMillis;
      maxBytesPerContainer = from.maxBytesPerContainer;
      maxStoredBytes = from.maxStoredBytes;
      maxWaitersPerSession = from.maxWaitersPerSession;
      maxRetryBytesPerSession = from.maxRetryBytesPerSession;
      maxRetryBytes = from.maxRetryBytes;
    }

    Limits build() {
      return new Limits(
          maxNameLength,
          maxPayloadBytes,
          maxObjects,
          maxSessions,
          maxWaitersPerObject,
          maxItemsPerContainer,
          defaultSessionTtlMillis,
          workerHeartbeatIntervalMillis,
          workerHeartbeatTimeoutMillis,
          maxSessionsPerPrincipal,
          maxSessionsPerAddress,
          maxSessionTtlMillis,
          maxBytesPerContainer,
          maxStoredBytes,
          maxWaitersPerSession,
          maxRetryBytesPerSession,
          maxRetryBytes);
    }
  }
}
