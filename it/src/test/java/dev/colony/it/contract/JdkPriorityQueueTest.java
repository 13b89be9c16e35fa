package dev.colony.it.contract;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link PriorityBlockingQueue} in natural order. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkPriorityQueueTest extends PriorityQueueContract {

  @Override
  protected BlockingQueue<Long> newPriorityQueue() {
    return new PriorityBlockingQueue<>();
  }
}
