package dev.colony.it.contract;

import dev.colony.client.ColonyBarrier;
import dev.colony.client.ColonyClient;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony Barrier against {@link java.util.concurrent.CyclicBarrier}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonyCyclicBarrierTest extends CyclicBarrierContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect(ColonyClient client) {
    this.client = client;
  }

  @Override
  protected Barrier newBarrier(int parties) {
    ColonyBarrier barrier = client.barrier(colony.name("barrier"), parties);
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
