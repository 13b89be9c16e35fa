package dev.colony.it.apps;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Increments a shared AtomicLong {@code count} times from {@code threads} threads and prints {@code
 * INC <value>} for each value incrementAndGet returned, then {@code DONE}. Args: target name count
 * threads.
 */
public final class CounterApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          int count = Integer.parseInt(args[2]);
          int threads = Integer.parseInt(args[3]);
          try (ColonyClient client = AppSupport.connect(args[0], "counter")) {
            ColonyAtomicLong counter = client.atomicLong(args[1]);
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
              int first = t;
              Thread worker =
                  new Thread(
                      () -> {
                        try {
                          for (int n = first; n < count; n += threads) {
                            AppSupport.report("INC " + counter.incrementAndGet());
                          }
                        } catch (Throwable e) {
                          synchronized (failures) {
                            failures.add(e);
                          }
                        }
                      },
                      "incrementer-" + t);
              worker.start();
              workers.add(worker);
            }
            for (Thread worker : workers) {
              worker.join();
            }
            if (!failures.isEmpty()) {
              throw new IllegalStateException("an incrementer failed", failures.get(0));
            }
            AppSupport.report("DONE");
          }
        });
  }
}
