package dev.colony.it.apps;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyValue;

/**
 * Sells tickets until none are left: under lock {@code box}, reads Value {@code tickets} and, if
 * positive, decrements it and prints {@code SOLD <number>}. Args: target tickets box.
 */
public final class TicketSellerApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          try (ColonyClient client = AppSupport.connect(args[0], "ticket-seller")) {
            ColonyValue<Long> tickets = client.value(args[1], Long.class);
            ColonyLock box = client.lock(args[2]);
            AppSupport.report("READY");
            while (true) {
              box.lock();
              try {
                long left = tickets.get();
                if (left <= 0) {
                  break;
                }
                tickets.set(left - 1);
                AppSupport.report("SOLD " + left);
              } finally {
                box.unlock();
              }
            }
            AppSupport.report("DONE");
          }
        });
  }
}
