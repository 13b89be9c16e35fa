package dev.colony.cli.demo;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/** CPU-bound work for the parallel map: how many primes are below {@code limit}. */
public final class CountPrimes implements Task<Integer, Integer> {
  @Override
  public Integer call(Integer limit, TaskContext context) {
    return below(limit);
  }

  /** Trial division on purpose: the point is to keep a core busy, not to be clever. */
  public static int below(int limit) {
    int count = limit > 2 ? 1 : 0;
    for (int n = 3; n < limit; n += 2) {
      if (isOddPrime(n)) {
        count++;
      }
    }
    return count;
  }

  private static boolean isOddPrime(int n) {
    for (int d = 3; (long) d * d <= n; d += 2) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }
}
