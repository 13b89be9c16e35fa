package dev.colony.it.contract;

import dev.colony.client.ColonyClient;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony Map against {@link java.util.concurrent.ConcurrentHashMap}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonyConcurrentMapTest extends ConcurrentMapContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect() {
    client = SmallPages.client(colony);
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  @Override
  protected ConcurrentMap<String, Long> newMap() {
    return client.map(colony.name("map"), String.class, Long.class);
  }
}
