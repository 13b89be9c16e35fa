package dev.colony.it.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.it.apps.NumberConsumerApp;
import dev.colony.it.apps.NumberProducerApp;
import dev.colony.it.support.ConsumedNumbers;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producer and consumer JVMs share one queue of a coordinator that keeps its state in a data
 * directory and is SIGKILLed twice while they work: every item is consumed exactly once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QueueAcrossKillsTest {

  private static final int PRODUCERS = 4;
  private static final int CONSUMERS = 4;
  private static final int PER_PRODUCER = 2_000;
  private static final int TOTAL = PRODUCERS * PER_PRODUCER;

  /** Threads per producer and per consumer JVM, so that calls overlap as in a real client. */
  private static final int THREADS = 4;

  /**
   * 'batch' loses nothing when the coordinator process dies (only a power cut can lose its last
   * moments), and it is what makes 16,000 queue operations fit the time of this test on a small
   * machine.
   */
  private static final String[] SYNC = {"--sync", "batch"};

  private static final Duration RUN = Duration.ofSeconds(150);
  private static final String QUEUE = "numbers";

  @TempDir Path dataDir;

  @Test
  void coordinatorSigkilledTwiceMidRun_everyItemIsConsumedExactlyOnce() throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.startDurable(dataDir, SYNC);
        ProcessGroup consumers = new ProcessGroup();
        ProcessGroup producers = new ProcessGroup()) {
      for (int c = 0; c < CONSUMERS; c++) {
        consumers
            .add(
                JavaProcess.start(
                    "consumer",
                    NumberConsumerApp.class,
                    coordinator.target(),
                    QUEUE,
                    String.valueOf(THREADS)))
            .awaitLineStartingWith("READY", RUN);
      }
      for (int p = 0; p < PRODUCERS; p++) {
        producers.add(
            JavaProcess.start(
                "producer",
                NumberProducerApp.class,
                coordinator.target(),
                QUEUE,
                String.valueOf((long) p * PER_PRODUCER),
                String.valueOf(PER_PRODUCER),
                String.valueOf(THREADS)));
      }

      ConsumedNumbers.await(consumers, TOTAL / 4, RUN);
      coordinator.kill();
      coordinator.restart();
      ConsumedNumbers.await(consumers, TOTAL / 2, RUN);
      coordinator.kill();
      coordinator.restart();

      for (JavaProcess producer : producers.processes()) {
        assertEquals(0, producer.waitFor(RUN), producer + " exit code");
      }
      try (ColonyClient client = Colony.connect(coordinator.target())) {
        ColonyQueue<Long> queue = client.queue(QUEUE, Long.class);
        for (int i = 0; i < CONSUMERS * THREADS; i++) {
          queue.put(-1L);
        }
        for (JavaProcess consumer : consumers.processes()) {
          assertEquals(0, consumer.waitFor(RUN), consumer + " exit code");
        }
        assertNull(queue.poll(), "left in the queue");
      }

      ConsumedNumbers.assertEachExactlyOnce(consumers, TOTAL);
    }
  }
}
