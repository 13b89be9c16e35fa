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
    return SameMethods.as(Latch.class, CountDownLatch.class, latch);
  }
}
