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
