package dev.colony.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs a step on every host at once: each step is mostly waiting on ssh and on the host, so ten
 * hosts take about as long as one. All steps run to their end; then, if any failed, one error names
 * every host that failed and why.
 */
final class OnEachHost {
  /** Enough for a rack of hosts; more just queue. Each is an ssh process, not CPU work here. */
  private static final int MAX_PARALLEL = 16;

  private OnEachHost() {}

  static <T> Map<RemoteHost, T> run(List<RemoteHost> hosts, Function<RemoteHost, T> step) {
    Map<RemoteHost, T> results = new LinkedHashMap<>();
    if (hosts.isEmpty()) {
      return results;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(MAX_PARALLEL, hosts.size()),
            r -> {
              Thread thread = new Thread(r, "colony-cluster-host");
              thread.setDaemon(true);
              return thread;
            });
    try {
      Map<RemoteHost, Future<T>> futures = new LinkedHashMap<>();
      for (RemoteHost host : hosts) {
        futures.put(host, pool.submit(() -> step.apply(host)));
      }
      List<String> failures = new ArrayList<>();
      for (Map.Entry<RemoteHost, Future<T>> each : futures.entrySet()) {
        try {
          results.put(each.getKey(), each.getValue().get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          String message =
              cause instanceof CommandFailedException ? cause.getMessage() : cause.toString();
          failures.add(
              message.startsWith(each.getKey().host().toString())
                  ? message
                  : each.getKey().host() + ": " + message);
        }
      }
      if (!failures.isEmpty()) {
        throw new CommandFailedException(ExitCodes.ERROR, String.join("\n", failures));
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(ExitCodes.ERROR, "interrupted");
    } finally {
      pool.shutdownNow();
    }
  }
}
