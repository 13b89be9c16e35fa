package dev.colony.it.apps;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.client.QueueOptions;

/**
 * Takes items and prints {@code GOT <item>} until it takes the poison pill. Args: target queue
 * maxSize poison.
 */
public final class ConsumerApp {
  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          try (ColonyClient client = AppSupport.connect(args[0], "consumer")) {
            ColonyQueue<String> queue =
                client.queue(
                    args[1],
                    String.class,
                    QueueOptions.fifo().withMaxSize(Integer.parseInt(args[2])));
            AppSupport.report("READY");
            String item;
            while (!(item = queue.take()).equals(args[3])) {
              AppSupport.report("GOT " + item);
            }
            AppSupport.report("DONE");
          }
        });
  }
}
