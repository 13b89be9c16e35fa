package dev.colony.it.contract;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: a fair {@link ReentrantLock}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkLockTest extends LockContract {

  @Override
  protected Reentrant newLock() {
    return SameMethods.as(Reentrant.class, ReentrantLock.class, new ReentrantLock(true));
  }
}
