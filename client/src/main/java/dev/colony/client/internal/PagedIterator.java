package dev.colony.client.internal;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An iterator over a shared queue or map that reads it from the coordinator one page at a time, the
 * next page when the last is used up, so a large object is never copied whole. It is weakly
 * consistent like the iterators of java.util.concurrent: it never throws
 * ConcurrentModificationException, sees each element that stays in the object exactly once, and may
 * or may not see elements added or removed while it runs. {@link #remove()} removes the last
 * element from the shared object itself (nothing happens if someone took it meanwhile).
 *
 * @param <S> an element as it comes over the wire
 * @param <C> the cursor a page ends with
 * @param <T> an element as the caller sees it
 */
final class PagedIterator<S, C, T> implements Iterator<T> {

  /** One page: its elements, and where the next one starts (null: this page is the last). */
  record Page<S, C>(List<S> elements, C next) {}

  /** Reads the page after {@code cursor} (null: the first page). */
  @FunctionalInterface
  interface Source<S, C> {
    Page<S, C> page(C cursor);
  }

  private final Source<S, C> source;
  private final Function<S, T> decode;
  private final Consumer<S> remove;
  private Iterator<S> page = Collections.emptyIterator();
  private C next;
  private boolean started;
  private S last;

  PagedIterator(Source<S, C> source, Function<S, T> decode, Consumer<S> remove) {
    this.source = source;
    this.decode = decode;
    this.remove = remove;
  }

  /** The raw elements, for callers that need what a page says about each one; read-only. */
  static <S, C> PagedIterator<S, C, S> raw(Source<S, C> source) {
    return new PagedIterator<>(
        source,
        s -> s,
        s -> {
          throw new UnsupportedOperationException("a raw page iterator does not remove");
        });
  }

  @Override
  public boolean hasNext() {
    while (!page.hasNext()) {
      if (started && next == null) {
        return false;
      }
      Page<S, C> read = source.page(next);
      started = true;
      next = read.next();
      page = read.elements().iterator();
    }
    return true;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    last = page.next();
    return decode.apply(last);
  }

  @Override
  public void remove() {
    if (last == null) {
      throw new IllegalStateException("next() was not called, or remove() was called after it");
    }
    S removing = last;
    last = null;
    remove.accept(removing);
  }
}
