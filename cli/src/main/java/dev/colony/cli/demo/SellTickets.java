package dev.colony.cli.demo;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyList;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.util.concurrent.locks.Lock;

/**
 * A ticket seller: under the shared lock, reads the tickets left, writes one less and records the
 * sale, until none are left. The read-modify-write is safe only because every seller holds the lock
 * for it. The argument is the prefix of the demo's object names.
 */
public final class SellTickets implements Task<String, Integer> {
  @Override
  public Integer call(String prefix, TaskContext context) {
    return sell(context.colony(), prefix, context.workerId() + " task " + context.taskId());
  }

  /** Sells until none are left; returns how many this seller sold. */
  public static int sell(ColonyClient colony, String prefix, String seller) {
    ColonyAtomicLong tickets = colony.atomicLong(prefix + "tickets");
    ColonyList<String> sold = colony.list(prefix + "sold", String.class);
    Lock boxOffice = colony.lock(prefix + "box-office");
    int mine = 0;
    while (true) {
      boxOffice.lock();
      try {
        long left = tickets.get();
        if (left == 0) {
          return mine;
        }
        tickets.set(left - 1);
        sold.add("ticket " + left + " sold by " + seller);
        mine++;
      } finally {
        boxOffice.unlock();
      }
    }
  }
}
