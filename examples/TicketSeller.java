import dev.colony.client.Colony;
import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyList;
import java.util.concurrent.locks.Lock;

/** Several processes sell the same tickets under one shared lock: none is sold twice. */
public class TicketSeller {
  public static void main(String[] args) throws Exception {
    String coordinator = System.getProperty("colony.coordinator", "127.0.0.1:7070");
    try (ColonyClient colony = Colony.connect(coordinator)) {
      ColonyAtomicLong tickets = colony.atomicLong("tickets");
      ColonyList<String> sold = colony.list("sold", String.class);
      if (args.length > 0 && args[0].equals("setup")) {
        tickets.set(Long.parseLong(args[1]));
        sold.clear();
        return;
      }
      Lock boxOffice = colony.lock("box-office");
      long pid = ProcessHandle.current().pid();
      int mine = 0;
      while (true) {
        boxOffice.lock();
        try {
          long left = tickets.get();
          if (left == 0) {
            break;
          }
          tickets.set(left - 1); // read-modify-write: safe only because we hold the lock
          sold.add("ticket " + left + " sold by " + pid);
          mine++;
        } finally {
          boxOffice.unlock();
        }
      }
      System.out.println(pid + " sold " + mine + "; sold in all: " + sold.size());
    }
  }
}
