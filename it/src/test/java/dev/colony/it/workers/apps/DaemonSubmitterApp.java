package dev.colony.it.workers.apps;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyProcess;
import dev.colony.client.ProcessOptions;
import dev.colony.it.workers.tasks.HoldUntilCancelled;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a daemon {@link HoldUntilCancelled} process and then holds its session open until the test
 * kills this JVM. Args: target sessionTtlMillis started gate cancelled finished. Prints {@code
 * STARTED <task id>} once the process was submitted.
 */
public final class DaemonSubmitterApp {
  public static void main(String[] args) throws Exception {
    try {
      ColonyClient client =
          Colony.connect(
              ColonyOptions.newBuilder()
                  .setTarget(args[0])
                  .setClientName("daemon-submitter")
                  .setSessionTtl(Duration.ofMillis(Long.parseLong(args[1])))
                  .build());
      ColonyProcess<String> process =
          client.process(
              HoldUntilCancelled.class,
              new HoldUntilCancelled.Hold(args[2], args[3], args[4], args[5]),
              ProcessOptions.newBuilder().setName("orphan-to-be").setDaemon(true).build());
      process.start();
      System.out.println("STARTED " + process.taskId());
      System.out.flush();
      // Never closed on purpose: the session must end because this JVM dies.
      new CountDownLatch(1).await();
    } catch (Throwable t) {
      System.out.println("FAILED " + t);
      t.printStackTrace();
      System.exit(1);
    }
  }
}
