package dev.colony.it.contract;

import java.util.Collections;
import java.util.Queue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link LinkedBlockingDeque} used as a stack. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkLifoQueueTest extends LifoQueueContract {

  @Override
  protected Stack newStack() {
    LinkedBlockingDeque<String> deque = new LinkedBlockingDeque<>();
    return new Stack() {
      @Override
      public void push(String item) throws InterruptedException {
        deque.putFirst(item);
      }

      @Override
      public String pop(long timeoutMillis) throws InterruptedException {
        return pollFirst(deque, timeoutMillis);
      }
    };
  }

  @Override
  protected Queue<String> newLifoQueue() {
    return Collections.asLifoQueue(new LinkedBlockingDeque<>());
  }
}
