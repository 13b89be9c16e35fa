package dev.colony.it.contract;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony RLock against {@link java.util.concurrent.locks.ReentrantLock}'s contract. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonyLockTest extends LockContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect(ColonyClient client) {
    this.client = client;
  }

  @Override
  protected Reentrant newLock() {
    ColonyLock lock = client.rlock(colony.name("rlock"));
    return SameMethods.as(Reentrant.class, ColonyLock.class, lock);
  }
}
