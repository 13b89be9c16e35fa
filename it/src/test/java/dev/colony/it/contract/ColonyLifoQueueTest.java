package dev.colony.it.contract;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.client.QueueOptions;
import dev.colony.it.support.ColonyExtension;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony LIFO Queue against a LinkedBlockingDeque used as a stack. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonyLifoQueueTest extends LifoQueueContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect() {
    client = SmallPages.client(colony);
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  @Override
  protected Stack newStack() {
    ColonyQueue<String> queue =
        client.queue(colony.name("lifo"), String.class, QueueOptions.lifo());
    return new Stack() {
      @Override
      public void push(String item) throws InterruptedException {
        queue.put(item);
      }

      @Override
      public String pop(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      }
    };
  }

  @Override
  protected Queue<String> newLifoQueue() {
    return client.queue(colony.name("lifo"), String.class, QueueOptions.lifo());
  }
}
