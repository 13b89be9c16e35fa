package dev.colony.it.contract;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link LinkedBlockingQueue}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkBlockingQueueTest extends BlockingQueueContract {

  @Override
  protected BlockingQueue<String> newBoundedQueue(int capacity) {
    return new LinkedBlockingQueue<>(capacity);
  }

  @Override
  protected BlockingQueue<String> newUnboundedQueue() {
    return new LinkedBlockingQueue<>();
  }
}
