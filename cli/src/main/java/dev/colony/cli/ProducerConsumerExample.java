package dev.colony.cli;

import dev.colony.cli.demo.ConsumeNumbers;
import dev.colony.cli.demo.Tally;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.client.Pool;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Producers and consumers through one shared Queue: producer threads here, each with its own client
 * (as separate processes would have), and consumer tasks on the workers; one end marker per
 * consumer stops them.
 */
final class ProducerConsumerExample implements DemoExample {
  private static final int PRODUCERS = 2;

  private final int perProducer;
  private final int consumers;
  private final String queueName;
  private final Supplier<ColonyClient> newClient;

  ProducerConsumerExample(
      int perProducer, int consumers, String queueName, Supplier<ColonyClient> newClient) {
    this.perProducer = perProducer;
    this.consumers = consumers;
    this.queueName = queueName;
    this.newClient = newClient;
  }

  @Override
  public String title() {
    return "Producer/consumer: "
        + PRODUCERS
        + " producers, "
        + consumers
        + (consumers == 1 ? " consumer task" : " consumer tasks")
        + ", one shared Queue";
  }

  @Override
  public Result run(ColonyClient colony, PrintWriter out) throws Exception {
    ColonyQueue<Long> queue = colony.queue(queueName, Long.class);
    List<CompletableFuture<Tally>> tallies = new ArrayList<>();
    ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
    try (Pool pool = colony.pool()) {
      for (int i = 0; i < consumers; i++) {
        tallies.add(pool.applyAsync(ConsumeNumbers.class, queueName));
      }
      try (Progress progress = Progress.open("producing", (long) PRODUCERS * perProducer)) {
        List<Future<?>> produced = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
          long first = (long) p * perProducer + 1;
          produced.add(producers.submit(() -> produce(first, perProducer, progress)));
        }
        for (Future<?> done : produced) {
          done.get(2, TimeUnit.MINUTES);
        }
      }
      for (int i = 0; i < consumers; i++) {
        queue.put(ConsumeNumbers.END);
      }
    } finally {
      producers.shutdownNow();
    }

    long count = 0;
    long sum = 0;
    List<Long> perConsumer = new ArrayList<>();
    for (CompletableFuture<Tally> tally : tallies) {
      Tally t = tally.get(2, TimeUnit.MINUTES);
      count += t.count();
      sum += t.sum();
      perConsumer.add(t.count());
    }
    long total = (long) PRODUCERS * perProducer;
    long expectedSum = total * (total + 1) / 2;
    out.println("  consumed per consumer: " + perConsumer + "; left in the queue: " + queue.size());
    boolean passed = count == total && sum == expectedSum && queue.isEmpty();
    return new Result(
        passed,
        "consumed "
            + count
            + " of "
            + total
            + " numbers, sum "
            + sum
            + (sum == expectedSum ? " as expected" : " but expected " + expectedSum));
  }

  /** Puts first .. first + n - 1 from a client of its own: a separate producer process. */
  private Void produce(long first, int n, Progress progress) throws InterruptedException {
    try (ColonyClient own = newClient.get()) {
      ColonyQueue<Long> queue = own.queue(queueName, Long.class);
      for (long v = first; v < first + n; v++) {
        queue.put(v);
        progress.step();
      }
    }
    return null;
  }
}
