package dev.colony.server.metrics;

import dev.colony.server.core.CoreStats;
import dev.colony.server.loop.ApplyLoop;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;

/**
 * The coordinator's metrics in a Prometheus registry. Core counts are read from one {@link
 * CoreStats} snapshot read on the apply loop's thread when {@link #scrape()} runs, so the core pays
 * nothing between scrapes and every number of one scrape comes from the same instant.
 */
public final class ColonyMetrics {
  /** Queues with a tagged depth series; the longest ones win, to bound cardinality. */
  public static final int MAX_QUEUE_SERIES = 100;

  private static final long SNAPSHOT_TIMEOUT_SECONDS = 5;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ApplyLoop loop;
  private final CallMetrics calls;
  private final MultiGauge queueDepths;
  private volatile CoreStats snapshot = CoreStats.empty();

  public ColonyMetrics(ApplyLoop loop) {
    this.loop = loop;
    this.calls = new CallMetrics(registry);
    gauge("colony.sessions", "Sessions alive", CoreStats::sessions);
    gauge("colony.objects", "Shared objects alive", CoreStats::objects);
    gauge("colony.waiters", "Calls blocked right now", CoreStats::waiters);
    gauge("colony.workers", "Connected workers", CoreStats::workers);
    gauge("colony.tasks.queued", "Tasks waiting for a worker", CoreStats::tasksQueued);
    gauge("colony.tasks.running", "Tasks running on a worker", CoreStats::tasksRunning);
    gauge("colony.deadlocks", "Wait-for cycles that exist now", CoreStats::deadlocks);
    gauge(
        "colony.stored.bytes",
        "Bytes stored in all objects and tasks (encoded size plus 128 per entry)",
        CoreStats::storedBytes);
    gauge(
        "colony.stored.bytes.limit",
        "Most bytes all objects and tasks may store (--max-stored-bytes)",
        stats -> loop.limits().maxStoredBytes());
    gauge(
        "colony.retry.cache.bytes",
        "Bytes of past replies kept in all sessions' retry caches",
        CoreStats::retryCacheBytes);
    counter("colony.tasks.succeeded", "Tasks that succeeded", CoreStats::tasksSucceeded);
    counter("colony.tasks.failed", "Tasks that failed or were cancelled", CoreStats::tasksFailed);
    counter("colony.deadlocks.detected", "Wait-for cycles found", CoreStats::deadlocksDetected);
    queueDepths =
        MultiGauge.builder("colony.queue.depth")
            .description("Items in a queue (the " + MAX_QUEUE_SERIES + " longest queues)")
            .register(registry);
  }

  /** What the transport records calls with. */
  public CallMetrics calls() {
    return calls;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Refreshes the core counts, then renders every meter in the Prometheus text format. */
  public String scrape() throws InterruptedException, ExecutionException, TimeoutException {
    refresh();
    return registry.scrape();
  }

  /** Reads a fresh snapshot of the core's counts. */
  public void refresh() throws InterruptedException, ExecutionException, TimeoutException {
    CoreStats stats = loop.stats(MAX_QUEUE_SERIES).get(SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    snapshot = stats;
    List<MultiGauge.Row<?>> rows = new ArrayList<>(stats.longestQueues().size());
    for (CoreStats.QueueDepth queue : stats.longestQueues()) {
      rows.add(MultiGauge.Row.of(Tags.of("queue", queue.name()), queue.depth()));
    }
    // Overwrite: a queue that was deleted or left the top list loses its series.
    queueDepths.register(rows, true);
  }

  private void gauge(String name, String description, ToDoubleFunction<CoreStats> value) {
    Gauge.builder(name, this, metrics -> value.applyAsDouble(metrics.snapshot))
        .description(description)
        .register(registry);
  }

  private void counter(String name, String description, ToDoubleFunction<CoreStats> value) {
    FunctionCounter.builder(name, this, metrics -> value.applyAsDouble(metrics.snapshot))
        .description(description)
        .register(registry);
  }
}
