package dev.colony.it.contract;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link CyclicBarrier}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkCyclicBarrierTest extends CyclicBarrierContract {

  @Override
  protected Barrier newBarrier(int parties) {
    CyclicBarrier barrier = new CyclicBarrier(parties);
    return new Barrier() {
      @Override
      public int await() throws InterruptedException, BrokenBarrierException {
        return barrier.await();
      }

      @Override
      public int await(long timeout, TimeUnit unit)
          throws InterruptedException, BrokenBarrierException, TimeoutException {
        return barrier.await(timeout, unit);
      }

      @Override
      public int getParties() {
        return barrier.getParties();
      }

      @Override
      public int getNumberWaiting() {
        return barrier.getNumberWaiting();
      }

      @Override
      public boolean isBroken() {
        return barrier.isBroken();
      }

      @Override
      public void reset() {
        barrier.reset();
      }
    };
  }
}
