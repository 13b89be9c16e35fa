package dev.colony.client;

import java.util.List;

/**
 * A shared list. Index operations ({@code get}, {@code set}, {@code add}, {@code remove(int)}) and
 * {@code size}/{@code clear}/{@code addAll} are single coordinator operations; {@code iterator},
 * {@code toArray}, {@code contains}, {@code indexOf}, {@code equals} read one snapshot. Operations
 * that cannot be made atomic ({@code remove(Object)}, iterator removal) throw {@link
 * UnsupportedOperationException}.
 */
public interface ColonyList<T> extends List<T> {
  String name();
}
