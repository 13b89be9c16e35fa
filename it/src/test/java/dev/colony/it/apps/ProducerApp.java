package dev.colony.it.apps;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.client.QueueOptions;

/** Puts {@code p<id>-<n>} for n in 0..count-1. Args: target queue maxSize id count. */
public final class ProducerApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          try (ColonyClient client = AppSupport.connect(args[0], "producer-" + args[3])) {
            ColonyQueue<String> queue =
                client.queue(
                    args[1],
                    String.class,
                    QueueOptions.fifo().withMaxSize(Integer.parseInt(args[2])));
            int count = Integer.parseInt(args[4]);
            for (int n = 0; n < count; n++) {
              queue.put("p" + args[3] + "-" + n);
            }
            AppSupport.report("DONE");
          }
        });
  }
}
