package dev.colony.it.contract;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link ReentrantLock}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkLockTest extends LockContract {

  @Override
  protected Lock newLock() {
    return new ReentrantLock();
  }

  @Override
  protected int holdCount(Lock lock) {
    return ((ReentrantLock) lock).getHoldCount();
  }
}
