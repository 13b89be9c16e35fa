package dev.colony.it.contract;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The reference behaviour: {@link ConcurrentHashMap}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkConcurrentMapTest extends ConcurrentMapContract {

  @Override
  protected ConcurrentMap<String, Long> newMap() {
    return new ConcurrentHashMap<>();
  }
}
