package com.example.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.Pool;
import dev.colony.server.ColonyServer;
import dev.colony.worker.WorkerDaemon;
import dev.colony.worker.WorkerOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the task on a cluster in this JVM: a coordinator on a free port and one worker daemon. */
@Timeout(60)
class WordCountTest {
  @Test
  void wordCount_onAWorker_countsTheWords() throws Exception {
    ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
    String target = "127.0.0.1:" + server.port();
    WorkerDaemon worker =
        new WorkerDaemon(
            WorkerOptions.newBuilder()
                .setCoordinator(target)
                .setSlots(2)
                .addAllowedTasks("com.example.tasks.**")
                .build());
    try {
      worker.start();
      worker.joined().get(20, TimeUnit.SECONDS);
      try (ColonyClient colony = Colony.connect(target);
          Pool pool = colony.pool()) {
        assertEquals(3, pool.apply(WordCount.class, "to be free"));
        assertEquals(List.of(0, 1, 2), pool.map(WordCount.class, List.of(" ", "one", "two words")));
      }
    } finally {
      worker.shutdownNow();
      assertTrue(worker.awaitTermination(20, TimeUnit.SECONDS), "the worker did not stop");
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
