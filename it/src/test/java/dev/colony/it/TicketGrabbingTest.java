package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyValue;
import dev.colony.it.apps.TicketSellerApp;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The classic ticket-grabbing demo: four seller JVMs share one Value under one Lock. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TicketGrabbingTest {

  private static final int TICKETS = 500;
  private static final int SELLERS = 4;

  @Test
  void fourSellerJvms_sellEveryTicketExactlyOnce() throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.start();
        ColonyClient client = Colony.connect(coordinator.target());
        ProcessGroup sellers = new ProcessGroup()) {
      ColonyValue<Long> tickets = client.value("tickets", Long.class);
      tickets.set((long) TICKETS);
      for (int s = 0; s < SELLERS; s++) {
        sellers.add(
            JavaProcess.start(
                "seller", TicketSellerApp.class, coordinator.target(), "tickets", "box"));
      }
      List<Long> sold = new ArrayList<>();
      for (JavaProcess seller : sellers.processes()) {
        assertEquals(0, seller.waitFor(Duration.ofSeconds(90)), seller + " exit code");
        assertTrue(seller.lines().contains("DONE"), seller + " did not finish");
        seller.lines().stream()
            .filter(line -> line.startsWith("SOLD "))
            .map(line -> Long.parseLong(line.substring(5)))
            .forEach(sold::add);
      }
      Map<Long, Long> timesSold =
          sold.stream().collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
      Map<Long, Long> once =
          LongStream.rangeClosed(1, TICKETS)
              .boxed()
              .collect(Collectors.toMap(n -> n, n -> 1L, (a, b) -> a, TreeMap::new));
      assertEquals(once, timesSold);
      assertEquals(0L, tickets.get());
    }
  }
}
