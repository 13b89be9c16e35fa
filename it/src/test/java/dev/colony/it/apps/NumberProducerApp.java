package dev.colony.it.apps;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the numbers {@code from .. from+count-1} into an unbounded queue from {@code threads}
 * threads (each puts its own share, so the calls overlap), then prints {@code DONE}. Args: target
 * queue from count threads.
 */
public final class NumberProducerApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          long from = Long.parseLong(args[2]);
          int count = Integer.parseInt(args[3]);
          int threads = Integer.parseInt(args[4]);
          try (ColonyClient client = AppSupport.connect(args[0], "producer-" + from)) {
            ColonyQueue<Long> queue = client.queue(args[1], Long.class);
            List<Thread> putters = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
              int first = t;
              Thread putter =
                  new Thread(
                      () -> {
                        try {
                          for (int n = first; n < count; n += threads) {
                            queue.put(from + n);
                          }
                        } catch (Throwable e) {
                          synchronized (failures) {
                            failures.add(e);
                          }
                        }
                      },
                      "putter-" + t);
              putter.start();
              putters.add(putter);
            }
            for (Thread putter : putters) {
              putter.join();
            }
            if (!failures.isEmpty()) {
              throw new IllegalStateException("a putter failed", failures.get(0));
            }
            AppSupport.report("DONE");
          }
        });
  }
}
