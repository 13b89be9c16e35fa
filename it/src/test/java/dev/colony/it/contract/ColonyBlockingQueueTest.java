package dev.colony.it.contract;

import dev.colony.client.ColonyClient;
import dev.colony.client.QueueOptions;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony Queue (FIFO) against {@link BlockingQueueContract}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonyBlockingQueueTest extends BlockingQueueContract {

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
  protected BlockingQueue<String> newBoundedQueue(int capacity) {
    return client.queue(
        colony.name("queue"), String.class, QueueOptions.fifo().withMaxSize(capacity));
  }

  @Override
  protected BlockingQueue<String> newUnboundedQueue() {
    return client.queue(colony.name("queue"), String.class);
  }
}
