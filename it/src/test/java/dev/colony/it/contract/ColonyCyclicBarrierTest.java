package dev.colony.it.contract;

import dev.colony.client.ColonyBarrier;
import dev.colony.client.ColonyClient;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.TimeUnit;
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
    return SameMethods.as(Barrier.class, ColonyBarrier.class, barrier);
  }
}
