package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's ticket example is real: the file it prints is the file this test runs. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadmeExampleTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("examples/TicketSeller.java");
  private static final Pattern SOLD = Pattern.compile("(\\d+) sold (\\d+); sold in all: (\\d+)");

  @Test
  void readme_showsTheExampleFileVerbatim() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertTrue(
        readme.contains(Files.readString(EXAMPLE).strip()),
        "README.md must show examples/TicketSeller.java as it is");
  }

  @Test
  void ticketSeller_threeProcessesSellEveryTicketOnce() throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.start();
        ProcessGroup sellers = new ProcessGroup()) {
      List<String> jvm = List.of("-Dcolony.coordinator=" + coordinator.target());
      try (JavaProcess setup = seller(jvm, List.of("setup", "60"))) {
        assertEquals(0, setup.waitFor(Duration.ofSeconds(60)), "setup exit code");
      }
      for (int i = 0; i < 3; i++) {
        sellers.add(seller(jvm, List.of()));
      }
      int total = 0;
      for (JavaProcess seller : sellers.processes()) {
        assertEquals(0, seller.waitFor(Duration.ofSeconds(120)), seller + " exit code");
        String line =
            seller.lines().stream().filter(l -> SOLD.matcher(l).find()).findFirst().orElseThrow();
        Matcher m = SOLD.matcher(line);
        assertTrue(m.find());
        total += Integer.parseInt(m.group(2));
      }
      assertEquals(60, total);
      try (ColonyClient client = Colony.connect(coordinator.target())) {
        List<String> sold = List.copyOf(client.list("sold", String.class));
        assertEquals(60, sold.size());
        Set<String> tickets = new HashSet<>();
        for (String entry : sold) {
          tickets.add(entry.substring(0, entry.indexOf(" sold by")));
        }
        assertEquals(60, tickets.size(), "a ticket was sold twice: " + sold);
        assertEquals(0L, client.atomicLong("tickets").get());
      }
    }
  }

  private static JavaProcess seller(List<String> jvm, List<String> args) {
    return JavaProcess.start("readme-seller", jvm, EXAMPLE.toString(), args, false);
  }
}
