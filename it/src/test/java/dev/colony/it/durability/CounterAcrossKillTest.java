package dev.colony.it.durability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.it.apps.CounterApp;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A shared AtomicLong incremented by client JVMs across a SIGKILL of its coordinator. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CounterAcrossKillTest {

  private static final int CLIENTS = 4;
  private static final int TOTAL = 8_000;
  private static final int THREADS = 4;
  private static final Duration RUN = Duration.ofSeconds(150);
  private static final String COUNTER = "counter";

  @TempDir Path dataDir;

  @Test
  void incrementsAcrossASigkill_endAtExactlyTheirNumber_eachValueReturnedOnce() throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.startDurable(dataDir);
        ProcessGroup clients = new ProcessGroup()) {
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(
            JavaProcess.start(
                "counter",
                CounterApp.class,
                coordinator.target(),
                COUNTER,
                String.valueOf(TOTAL / CLIENTS),
                String.valueOf(THREADS)));
      }
      await()
          .atMost(RUN)
          .pollInterval(Duration.ofMillis(100))
          .alias("the clients returned " + TOTAL / 3 + " increments")
          .until(
              () ->
                  clients.processes().stream().mapToLong(c -> values(c).size()).sum() >= TOTAL / 3);
      coordinator.kill();
      coordinator.restart();
      for (JavaProcess client : clients.processes()) {
        assertEquals(0, client.waitFor(RUN), client + " exit code");
      }

      try (ColonyClient client = Colony.connect(coordinator.target())) {
        assertEquals(TOTAL, client.atomicLong(COUNTER).get());
      }
      List<Long> returned = new ArrayList<>();
      clients.processes().forEach(c -> returned.addAll(values(c)));
      returned.sort(null);
      assertEquals(TOTAL, returned.size(), "increments returned");
      List<Long> expected = LongStream.rangeClosed(1, TOTAL).boxed().toList();
      assertTrue(
          returned.equals(expected),
          () -> "the values incrementAndGet returned are not 1.." + TOTAL + " each once");
    }
  }

  private static List<Long> values(JavaProcess client) {
    List<Long> values = new ArrayList<>();
    for (String line : client.lines()) {
      if (line.startsWith("INC ")) {
        values.add(Long.parseLong(line.substring(4)));
      }
    }
    return values;
  }
}
