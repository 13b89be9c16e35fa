package dev.colony.it.contract;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyCountDownLatch;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony CountDownLatch against {@link java.util.concurrent.CountDownLatch}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonyCountDownLatchTest extends CountDownLatchContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect(ColonyClient client) {
    this.client = client;
  }

  @Override
  protected Latch newLatch(long count) {
    ColonyCountDownLatch latch = client.countDownLatch(colony.name("latch"), count);
    return SameMethods.as(Latch.class, ColonyCountDownLatch.class, latch);
  }
}
