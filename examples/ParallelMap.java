import dev.colony.cli.demo.CountPrimes;
import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import java.util.ArrayList;
import java.util.List;

/** Python's Pool.map on a running cluster's workers: counts the primes below many limits. */
public class ParallelMap {
  public static void main(String[] args) throws Exception {
    String coordinator = System.getProperty("colony.coordinator", "127.0.0.1:7070");
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    List<Integer> limits = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      limits.add(100_000 + 100 * i);
    }
    try (ColonyClient colony = Colony.connect(coordinator);
        Pool pool = colony.pool()) {
      long start = System.nanoTime();
      List<Integer> counts = pool.map(CountPrimes.class, limits, 10); // 10 items per task
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%d results in %.1f s; primes below %d: %d%n",
          counts.size(), seconds, limits.get(items - 1), counts.get(items - 1));
    }
  }
}
