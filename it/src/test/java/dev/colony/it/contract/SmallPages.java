package dev.colony.it.contract;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.it.support.ColonyExtension;

/**
 * Colony's bindings of the collection contracts read queues and maps {@link #SIZE} items per page,
 * so that the contracts' "more than a page" sizes span several pages without being large. The JDK
 * bindings have no pages; the same assertions hold for them.
 */
final class SmallPages {
  static final int SIZE = 4;

  /** Enough items for several pages and a partial last one. */
  static final int MORE_THAN_A_PAGE = SIZE * 3 + 1;

  private SmallPages() {}

  /** A client of {@code colony}'s coordinator with small pages; the caller closes it. */
  static ColonyClient client(ColonyExtension colony) {
    return colony.newClient(ColonyOptions.newBuilder().setPageSize(SIZE));
  }
}
