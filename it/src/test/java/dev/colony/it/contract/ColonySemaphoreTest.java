package dev.colony.it.contract;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonySemaphore;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony Semaphore against {@link java.util.concurrent.Semaphore}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonySemaphoreTest extends SemaphoreContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect(ColonyClient client) {
    this.client = client;
  }

  @Override
  protected Permits newSemaphore(int permits, boolean fair) {
    ColonySemaphore semaphore = client.semaphore(colony.name("semaphore"), permits, fair);
    return SameMethods.as(Permits.class, ColonySemaphore.class, semaphore);
  }
}
