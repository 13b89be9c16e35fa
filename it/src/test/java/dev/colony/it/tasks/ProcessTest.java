package dev.colony.it.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyProcess;
import dev.colony.client.ProcessOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.it.tasks.TestTasks.Blocks;
import dev.colony.it.tasks.TestTasks.FailsOnMultiplesOfThree;
import dev.colony.it.tasks.TestTasks.Square;
import dev.colony.proto.v1.TaskFailureReason;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ColonyProcess against a real coordinator and a real worker daemon. */
@Timeout(60)
class ProcessTest {
  private static InJvmColony colony;

  @BeforeAll
  static void startColony() throws Exception {
    colony = InJvmColony.start(2);
  }

  @AfterAll
  static void stopColony() throws Exception {
    Blocks.release.countDown();
    colony.close();
  }

  @BeforeEach
  void resetLatches() {
    Blocks.reset();
  }

  @Test
  void process_runsToTheEnd_exitCodeZeroAndResult() throws Exception {
    ColonyProcess<Integer> process = colony.client.process(Square.class, 12);
    assertNull(process.exitCode());
    assertFalse(process.isAlive());

    process.start();
    process.join();

    assertEquals(0, process.exitCode());
    assertEquals(144, process.result());
    assertFalse(process.isAlive());
    assertEquals(colony.worker.workerId(), process.workerId());
    assertEquals(ProcessHandle.current().pid(), process.workerPid());
    assertThrows(IllegalStateException.class, process::start);
  }

  @Test
  void joinWithTimeout_whileRunning_returnsFalse_thenTerminateEndsIt() throws Exception {
    ColonyProcess<String> process =
        colony.client.process(
            Blocks.class, "long", ProcessOptions.newBuilder().setName("blocker").build());
    process.start();
    assertTrue(Blocks.started.await(30, TimeUnit.SECONDS));

    assertFalse(process.join(100, TimeUnit.MILLISECONDS));
    assertTrue(process.isAlive());
    assertNull(process.exitCode());
    assertEquals("blocker", process.name());
    assertEquals(colony.worker.workerId(), process.workerId());
    assertEquals(ProcessHandle.current().pid(), process.workerPid());
    assertTrue(process.workerHost() != null && !process.workerHost().isEmpty());

    process.terminate();
    assertTrue(process.join(30, TimeUnit.SECONDS));

    assertEquals(-15, process.exitCode());
    assertFalse(process.isAlive());
    assertTrue(Blocks.interrupted.await(30, TimeUnit.SECONDS), "the task was not interrupted");
    RemoteTaskException e = assertThrows(RemoteTaskException.class, process::result);
    assertEquals(TaskFailureReason.TASK_CANCELLED, e.reason());
  }

  @Test
  void process_whoseTaskThrows_hasExitCodeOne() throws Exception {
    ColonyProcess<Integer> process = colony.client.process(FailsOnMultiplesOfThree.class, 9);
    process.start();
    process.join();

    assertEquals(1, process.exitCode());
    RemoteTaskException e = assertThrows(RemoteTaskException.class, process::result);
    assertEquals(IllegalStateException.class.getName(), e.remoteClassName());
  }

  @Test
  void taskContextName_isTheProcessName() throws Exception {
    ColonyProcess<String> process =
        colony.client.process(
            Blocks.class, "named", ProcessOptions.newBuilder().setName("my-process").build());
    process.start();
    Blocks.release.countDown();
    process.join();

    assertTrue(process.result().endsWith(" as my-process"), process.result());
  }

  @Test
  void daemonProcess_isCancelledWhenItsClientCloses() throws Exception {
    ColonyClient submitter = colony.newClient();
    ColonyProcess<String> daemon =
        submitter.process(Blocks.class, "d", ProcessOptions.newBuilder().setDaemon(true).build());
    assertTrue(daemon.isDaemon());
    daemon.start();
    assertTrue(Blocks.started.await(30, TimeUnit.SECONDS));

    submitter.close();

    assertTrue(Blocks.interrupted.await(30, TimeUnit.SECONDS), "the daemon task kept running");
  }
}
