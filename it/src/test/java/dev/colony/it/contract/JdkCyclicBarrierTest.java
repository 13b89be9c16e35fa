package dev.colony.it.contract;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link CyclicBarrier}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkCyclicBarrierTest extends CyclicBarrierContract {

  @Override
  protected Barrier newBarrier(int parties) {
    CyclicBarrier barrier = new CyclicBarrier(parties);
    return SameMethods.as(Barrier.class, CyclicBarrier.class, barrier);
  }

  @Override
  protected Barrier newBarrier(int parties, Runnable action) {
    CyclicBarrier barrier = new CyclicBarrier(parties, action);
    return SameMethods.as(Barrier.class, CyclicBarrier.class, barrier);
  }
}
