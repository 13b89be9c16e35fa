package dev.colony.it.contract;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonySemaphore;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony Semaphore against a fair {@link java.util.concurrent.Semaphore}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonySemaphoreTest extends SemaphoreContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect(ColonyClient client) {
    this.client = client;
  }

  @Override
  protected Permits newSemaphore(int permits) {
    ColonySemaphore semaphore = client.semaphore(colony.name("semaphore"), permits);
    return new Permits() {
      @Override
      public void acquire() throws InterruptedException {
        semaphore.acquire();
      }

      @Override
      public void acquire(int n) throws InterruptedException {
        semaphore.acquire(n);
      }

      @Override
      public boolean tryAcquire() {
        return semaphore.tryAcquire();
      }

      @Override
      public boolean tryAcquire(int n) {
        return semaphore.tryAcquire(n);
      }

      @Override
      public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return semaphore.tryAcquire(timeout, unit);
      }

      @Override
      public boolean tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException {
        return semaphore.tryAcquire(n, timeout, unit);
      }

      @Override
      public void release() {
        semaphore.release();
      }

      @Override
      public void release(int n) {
        semaphore.release(n);
      }

      @Override
      public int availablePermits() {
        return semaphore.availablePermits();
      }
    };
  }
}
