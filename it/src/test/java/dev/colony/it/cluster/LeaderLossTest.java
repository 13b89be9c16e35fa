package dev.colony.it.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyQueue;
import dev.colony.it.apps.NumberConsumerApp;
import dev.colony.it.apps.NumberProducerApp;
import dev.colony.it.support.ConsumedNumbers;
import dev.colony.it.support.CoordinatorGroup;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.ProcessGroup;
import dev.colony.proto.v1.ClusterNodeStatus;
import dev.colony.proto.v1.ClusterStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three coordinator JVMs as one group; producer and consumer JVMs given all three addresses share a
 * queue while the leader is SIGKILLed: the other two elect a new leader, the clients follow it on
 * their own, and every item is consumed exactly once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LeaderLossTest {
  private static final int PRODUCERS = 2;
  private static final int CONSUMERS = 2;
  private static final int PER_PRODUCER = 3_000;
  private static final int TOTAL = PRODUCERS * PER_PRODUCER;
  private static final int THREADS = 2;
  private static final Duration RUN = Duration.ofSeconds(150);
  private static final String QUEUE = "numbers";

  @TempDir Path dataDir;

  @Test
  void leaderSigkilledMidRun_theGroupGoesOn_andEveryItemIsConsumedExactlyOnce() throws Exception {
    try (CoordinatorGroup group = CoordinatorGroup.start(3, dataDir, "--sync", "batch");
        ProcessGroup consumers = new ProcessGroup();
        ProcessGroup producers = new ProcessGroup()) {
      String leader = group.awaitLeader();
      ClusterStatus cluster = group.cluster(leader);
      assertEquals(3, cluster.getNodesCount(), cluster::toString);
      await("every node announced its pid to the group")
          .atMost(CoordinatorGroup.LEADER_TIMEOUT)
          .until(
              () ->
                  group.cluster(leader).getNodesList().stream()
                      .allMatch(n -> n.getPid() == group.process(n.getId()).pid()));

      String targets = group.targets();
      for (int c = 0; c < CONSUMERS; c++) {
        consumers
            .add(
                JavaProcess.start(
                    "consumer", NumberConsumerApp.class, targets, QUEUE, String.valueOf(THREADS)))
            .awaitLineStartingWith("READY", RUN);
      }
      for (int p = 0; p < PRODUCERS; p++) {
        producers.add(
            JavaProcess.start(
                "producer",
                NumberProducerApp.class,
                targets,
                QUEUE,
                String.valueOf((long) p * PER_PRODUCER),
                String.valueOf(PER_PRODUCER),
                String.valueOf(THREADS)));
      }

      ConsumedNumbers.await(consumers, TOTAL / 3, RUN);
      group.kill(leader);
      String next = group.awaitLeader();
      assertNotEquals(leader, next);
      ClusterStatus after = group.cluster(next);
      ClusterNodeStatus dead =
          after.getNodesList().stream().filter(n -> n.getId().equals(leader)).findFirst().get();
      assertEquals(group.process(leader).pid(), dead.getPid(), "the lost node is still a member");

      for (JavaProcess producer : producers.processes()) {
        assertEquals(0, producer.waitFor(RUN), producer + " exit code");
      }
      try (ColonyClient client = Colony.connect(targets)) {
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
