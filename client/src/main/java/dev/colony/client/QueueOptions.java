package dev.colony.client;

import java.util.function.ToLongFunction;

/**
 * How a queue is created: its kind (FIFO, LIFO or priority) and its bound. Immutable; {@code
 * withMaxSize} returns a copy.
 */
public final class QueueOptions {

  /** The three kinds of Python's queue module. */
  public enum Kind {
    FIFO,
    LIFO,
    PRIORITY
  }

  private static final ToLongFunction<Object> DEFAULT_PRIORITY =
      item -> item instanceof Number number ? number.longValue() : 0L;

  private final Kind kind;
  private final int maxSize;
  private final ToLongFunction<Object> priority;

  private QueueOptions(Kind kind, int maxSize, ToLongFunction<Object> priority) {
    this.kind = kind;
    this.maxSize = maxSize;
    this.priority = priority;
  }

  /** First in, first out; unbounded. */
  public static QueueOptions fifo() {
    return new QueueOptions(Kind.FIFO, 0, DEFAULT_PRIORITY);
  }

  /** Last in, first out (a stack); unbounded. */
  public static QueueOptions lifo() {
    return new QueueOptions(Kind.LIFO, 0, DEFAULT_PRIORITY);
  }

  /**
   * Lowest priority first, FIFO among equal priorities; unbounded. {@code put(item)} uses {@code
   * ((Number) item).longValue()} for numbers and 0 for anything else; {@code put(item, priority)}
   * says it explicitly.
   */
  public static QueueOptions priority() {
    return new QueueOptions(Kind.PRIORITY, 0, DEFAULT_PRIORITY);
  }

  /** A priority queue whose {@code put(item)} takes the priority from {@code priorityOf}. */
  @SuppressWarnings("unchecked")
  public static <T> QueueOptions priority(ToLongFunction<? super T> priorityOf) {
    if (priorityOf == null) {
      throw new NullPointerException("priorityOf");
    }
    return new QueueOptions(Kind.PRIORITY, 0, (ToLongFunction<Object>) priorityOf);
  }

  /** A copy bounded to {@code maxSize} items (0 = unbounded); puts on a full queue wait. */
  public QueueOptions withMaxSize(int maxSize) {
    if (maxSize < 0) {
      throw new IllegalArgumentException("maxSize must be 0 (unbounded) or more, was " + maxSize);
    }
    return new QueueOptions(kind, maxSize, priority);
  }

  public Kind kind() {
    return kind;
  }

  /** The bound; 0 = unbounded. */
  public int maxSize() {
    return maxSize;
  }

  /** The priority {@code put(item)} uses for {@code item} on a priority queue. */
  public long priorityOf(Object item) {
    return priority.applyAsLong(item);
  }

  /** Equal when kind, bound and priority function (by identity) are the same. */
  @Override
  public boolean equals(Object o) {
    return o instanceof QueueOptions other
        && kind == other.kind
        && maxSize == other.maxSize
        && priority == other.priority;
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + maxSize) * 31 + System.identityHashCode(priority);
  }

  @Override
  public String toString() {
    return kind + (maxSize == 0 ? "" : " maxsize=" + maxSize);
  }
}
