package dev.colony.it.apps;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes numbers from a queue on {@code threads} threads and prints {@code GOT <n>} for each, until
 * every thread has taken a poison pill (a negative number); then prints {@code DONE}. Args: target
 * queue threads.
 */
public final class NumberConsumerApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          int threads = Integer.parseInt(args[2]);
          try (ColonyClient client = AppSupport.connect(args[0], "consumer")) {
            ColonyQueue<Long> queue = client.queue(args[1], Long.class);
            List<Thread> takers = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
              Thread taker =
                  new Thread(
                      () -> {
                        try {
                          long n;
                          while ((n = queue.take()) >= 0) {
                            AppSupport.report("GOT " + n);
                          }
                        } catch (Throwable e) {
                          synchronized (failures) {
                            failures.add(e);
                          }
                        }
                      },
                      "taker-" + t);
              taker.start();
              takers.add(taker);
            }
            AppSupport.report("READY");
            for (Thread taker : takers) {
              taker.join();
            }
            if (!failures.isEmpty()) {
              throw new IllegalStateException("a taker failed", failures.get(0));
            }
            AppSupport.report("DONE");
          }
        });
  }
}
