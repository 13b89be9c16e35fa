package dev.colony.it.contract;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: a fair {@link Semaphore}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkSemaphoreTest extends SemaphoreContract {

  @Override
  protected Permits newSemaphore(int permits) {
    Semaphore semaphore = new Semaphore(permits, true);
    return SameMethods.as(Permits.class, Semaphore.class, semaphore);
  }
}
