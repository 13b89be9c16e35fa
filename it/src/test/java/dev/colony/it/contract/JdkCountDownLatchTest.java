package dev.colony.it.contract;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link CountDownLatch}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkCountDownLatchTest extends CountDownLatchContract {

  @Override
  protected Latch newLatch(long count) {
    CountDownLatch latch = new CountDownLatch((int) count);
    return new Latch() {
      @Override
      public void countDown() {
        latch.countDown();
      }

      @Override
      public void await() throws InterruptedException {
        latch.await();
      }

      @Override
      public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return latch.await(timeout, unit);
      }

      @Override
      public long getCount() {
        return latch.getCount();
      }
    };
  }
}
