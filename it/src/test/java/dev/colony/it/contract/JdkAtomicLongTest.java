package dev.colony.it.contract;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link AtomicLong}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkAtomicLongTest extends AtomicLongContract {

  @Override
  protected Counter newCounter() {
    AtomicLong atomic = new AtomicLong();
    return SameMethods.as(Counter.class, AtomicLong.class, atomic);
  }
}
