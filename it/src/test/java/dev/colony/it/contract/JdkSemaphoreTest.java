package dev.colony.it.contract;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link Semaphore}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkSemaphoreTest extends SemaphoreContract {

  @Override
  protected Permits newSemaphore(int permits, boolean fair) {
    return SameMethods.as(
        Permits.class, ReduciblePermits.class, new ReduciblePermits(permits, fair));
  }

  /** A Semaphore whose protected reducePermits is public, as the Colony proxy's is. */
  static final class ReduciblePermits extends Semaphore {
    ReduciblePermits(int permits, boolean fair) {
      super(permits, fair);
    }

    @Override
    public void reducePermits(int reduction) {
      super.reducePermits(reduction);
    }
  }
}
