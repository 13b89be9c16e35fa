package dev.colony.it.contract;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony long Value against {@link java.util.concurrent.atomic.AtomicLong}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonyAtomicLongTest extends AtomicLongContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect(ColonyClient client) {
    this.client = client;
  }

  @Override
  protected Counter newCounter() {
    ColonyAtomicLong atomic = client.atomicLong(colony.name("counter"));
    return SameMethods.as(Counter.class, ColonyAtomicLong.class, atomic);
  }
}
