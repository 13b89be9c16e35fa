package dev.colony.server.core;

/**
 * The bounds of a paged read (QueueRange, MapRange): a page holds at most {@link #MAX_PAGE_SIZE}
 * items and about {@link #PAGE_BYTE_BUDGET} bytes, so a large queue or map is read in many small
 * replies instead of one that could outgrow a message, and a reply kept for retries stays small.
 */
public final class Paging {
  public static final int DEFAULT_PAGE_SIZE = 1_000;
  public static final int MAX_PAGE_SIZE = 10_000;

  /** A page stops growing once it holds this many payload bytes (it always holds one item). */
  static final long PAGE_BYTE_BUDGET = 1 << 20;

  private Paging() {}

  /**
   * The number of items a request's {@code page_size} asks for: 0 means the default.
   *
   * @throws CoreException INVALID_REQUEST when it is negative or over {@link #MAX_PAGE_SIZE}
   */
  public static int pageSize(int requested) {
    if (requested < 0 || requested > MAX_PAGE_SIZE) {
      throw CoreException.invalid(
          "page_size must be 0 (the default, "
              + DEFAULT_PAGE_SIZE
              + ") or between 1 and "
              + MAX_PAGE_SIZE
              + "; got "
              + requested);
    }
    return requested == 0 ? DEFAULT_PAGE_SIZE : requested;
  }

  static CoreException unknownCursor(SharedObject object, String cursor) {
    return CoreException.invalid(
        "cursor "
            + cursor
            + " was never handed out by "
            + object.type()
            + " '"
            + object.name()
            + "'; send back the next_cursor of the previous page, or none to start at the"
            + " beginning");
  }
}
