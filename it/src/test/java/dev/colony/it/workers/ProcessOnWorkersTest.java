package dev.colony.it.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyProcess;
import dev.colony.client.ProcessOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.workers.apps.DaemonSubmitterApp;
import dev.colony.it.workers.tasks.Describe;
import dev.colony.it.workers.tasks.HoldUntilCancelled;
import dev.colony.it.workers.tasks.HoldUntilCancelled.Hold;
import dev.colony.it.workers.tasks.Unlucky;
import dev.colony.proto.v1.TaskFailureReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ColonyProcess handles of tasks on two real worker JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessOnWorkersTest {

  private static final long WAIT_SECONDS = 60;

  private static WorkerCluster cluster;
  private static ColonyClient client;

  @BeforeAll
  static void startCluster() throws TimeoutException {
    cluster = WorkerCluster.start(2);
    client = cluster.newClient();
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void process_joinWithTimeoutReturnsFalseWhileItRuns_thenExitsZeroWithItsResultAndPlace()
      throws Exception {
    Hold hold = newHold();
    ColonyProcess<String> process =
        client.process(
            HoldUntilCancelled.class,
            hold,
            ProcessOptions.newBuilder().setName("gatekeeper").build());
    assertFalse(process.isAlive());
    assertNull(process.exitCode());

    process.start();
    assertTrue(client.event(hold.started()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertFalse(process.join(200, TimeUnit.MILLISECONDS), "join returned while the task runs");
    assertTrue(process.isAlive());
    assertNull(process.exitCode());
    Map<String, Long> workers = workerPids();
    assertEquals(workers.get(process.workerId()), process.workerPid(), "where it runs");

    client.event(hold.gate()).set();
    assertTrue(process.join(WAIT_SECONDS, TimeUnit.SECONDS));
    assertFalse(process.isAlive());
    assertEquals(0, process.exitCode());
    assertEquals("released", process.result());
    assertEquals("gatekeeper", process.name());
    assertFalse(process.isDaemon());
    assertEquals(workers.get(process.workerId()), process.workerPid(), "where it ran");
    assertFalse(process.workerHost().isEmpty());
  }

  @Test
  void terminate_stopsALongRunningTask_whichSeesItWasCancelled() throws Exception {
    Hold hold = newHold();
    ColonyProcess<String> process = client.process(HoldUntilCancelled.class, hold);
    process.start();
    assertTrue(client.event(hold.started()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertFalse(process.join(200, TimeUnit.MILLISECONDS), "join returned while the task runs");

    process.terminate();

    assertTrue(process.join(WAIT_SECONDS, TimeUnit.SECONDS), "terminate did not end it");
    assertFalse(process.isAlive());
    assertEquals(-15, process.exitCode());
    RemoteTaskException failure = assertThrows(RemoteTaskException.class, process::result);
    assertEquals(TaskFailureReason.TASK_CANCELLED, failure.reason());
    assertTrue(
        client.event(hold.cancelled()).await(WAIT_SECONDS, TimeUnit.SECONDS),
        "the task was not interrupted with isCancelled() true");
    assertFalse(client.event(hold.finished()).isSet());
  }

  @Test
  void taskContext_tellsTheTaskWhoItIsWhereItRunsAndWhoSubmittedIt() throws Exception {
    ColonyProcess<Describe.Context> process =
        client.process(
            Describe.class, "", ProcessOptions.newBuilder().setName("describer").build());
    process.start();
    assertTrue(process.join(WAIT_SECONDS, TimeUnit.SECONDS));
    Describe.Context context = process.result();

    assertEquals(process.taskId(), context.taskId());
    assertEquals(1, context.attempt());
    assertEquals("describer", context.name());
    assertEquals(process.workerId(), context.workerId());
    assertEquals(process.workerHost(), context.workerHost());
    assertEquals(context.actualPid(), context.workerPid(), "the worker's os.getpid()");
    assertEquals(workerPids().get(context.workerId()), context.workerPid());
    assertEquals(client.sessionLabel(), context.submitterSessionLabel());
    assertEquals(ProcessHandle.current().pid(), context.submitterPid(), "the os.getppid()");
    assertFalse(context.submitterHost().isEmpty());
    assertFalse(context.cancelled());
    assertEquals(Describe.class.getName(), context.loggerName());
  }

  @Test
  void processWithATimeout_isInterruptedAtItsDeadline_andExitsWithOne() throws Exception {
    Hold hold = newHold();
    ColonyProcess<String> process =
        client.process(
            HoldUntilCancelled.class,
            hold,
            ProcessOptions.newBuilder().setTimeout(Duration.ofMillis(300)).build());
    process.start();

    assertTrue(process.join(WAIT_SECONDS, TimeUnit.SECONDS), "the timeout did not end it");
    assertEquals(1, process.exitCode());
    RemoteTaskException failure = assertThrows(RemoteTaskException.class, process::result);
    assertEquals(TaskFailureReason.TASK_TIMED_OUT, failure.reason());
    assertTrue(client.event(hold.started()).isSet());
    assertTrue(
        client.event(hold.cancelled()).await(WAIT_SECONDS, TimeUnit.SECONDS),
        "the timed-out task was not interrupted with isCancelled() true");
  }

  @Test
  void terminate_ofAQueuedProcess_endsItBeforeItEverRuns() throws Exception {
    String gate = cluster.name("gate");
    List<Hold> holds = new ArrayList<>();
    List<ColonyProcess<String>> holders = new ArrayList<>();
    for (int i = 0; i < 2 * WorkerProcess.SLOTS; i++) {
      Hold hold = newHold(gate);
      holds.add(hold);
      ColonyProcess<String> holder = client.process(HoldUntilCancelled.class, hold);
      holder.start();
      holders.add(holder);
    }
    for (Hold hold : holds) {
      assertTrue(client.event(hold.started()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    }
    Hold queuedHold = newHold(gate);
    ColonyProcess<String> queued = client.process(HoldUntilCancelled.class, queuedHold);
    queued.start();
    assertEquals(1, cluster.status().getTasks().getQueued(), "every slot is taken");

    queued.terminate();

    assertTrue(queued.join(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(-15, queued.exitCode());
    assertNull(queued.workerId(), "it never reached a worker");
    assertEquals(0, cluster.status().getTasks().getQueued());
    client.event(gate).set();
    for (ColonyProcess<String> holder : holders) {
      assertTrue(holder.join(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals("released", holder.result());
    }
    assertFalse(client.event(queuedHold.started()).isSet(), "the terminated process ran");
  }

  @Test
  void processThatThrows_exitsWithOne_andItsResultIsTheRemoteException() throws Exception {
    ColonyProcess<Integer> process =
        client.process(Unlucky.class, new Unlucky.Item(cluster.name("completed"), Unlucky.UNLUCKY));
    process.start();

    assertTrue(process.join(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(1, process.exitCode());
    RemoteTaskException failure = assertThrows(RemoteTaskException.class, process::result);
    assertEquals("java.lang.IllegalStateException", failure.remoteClassName());
    assertEquals(TaskFailureReason.TASK_THREW, failure.reason());
  }

  @Test
  void daemonProcess_isCancelledWhenItsSubmitterCloses_butANonDaemonOneRunsOn() throws Exception {
    Hold daemonHold = newHold();
    Hold plainHold = newHold();
    try (ColonyClient submitter = cluster.newClient()) {
      submitter
          .process(
              HoldUntilCancelled.class,
              daemonHold,
              ProcessOptions.newBuilder().setDaemon(true).build())
          .start();
      submitter.process(HoldUntilCancelled.class, plainHold).start();
      assertTrue(client.event(daemonHold.started()).await(WAIT_SECONDS, TimeUnit.SECONDS));
      assertTrue(client.event(plainHold.started()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    assertTrue(
        client.event(daemonHold.cancelled()).await(WAIT_SECONDS, TimeUnit.SECONDS),
        "the daemon task was not cancelled when its submitter closed");
    assertFalse(client.event(plainHold.cancelled()).isSet(), "the non-daemon task was cancelled");
    client.event(plainHold.gate()).set();
    assertTrue(
        client.event(plainHold.finished()).await(WAIT_SECONDS, TimeUnit.SECONDS),
        "the non-daemon task did not run to its end");
  }

  @Test
  void daemonProcess_isCancelledWhenItsSubmitterJvmIsKilled() throws Exception {
    Hold hold = newHold();
    Duration sessionTtl = Duration.ofSeconds(2);
    try (JavaProcess submitter =
        JavaProcess.start(
            "daemon-submitter",
            DaemonSubmitterApp.class,
            cluster.target(),
            String.valueOf(sessionTtl.toMillis()),
            hold.started(),
            hold.gate(),
            hold.cancelled(),
            hold.finished())) {
      submitter.awaitLineStartingWith("STARTED ", Duration.ofSeconds(WAIT_SECONDS));
      assertTrue(client.event(hold.started()).await(WAIT_SECONDS, TimeUnit.SECONDS));
      assertFalse(client.event(hold.cancelled()).isSet());

      submitter.kill();

      // The session ends when its lease runs out, 2 s after the last renewal.
      assertTrue(
          client.event(hold.cancelled()).await(WAIT_SECONDS, TimeUnit.SECONDS),
          "the daemon task outlived its killed submitter");
      assertFalse(client.event(hold.finished()).isSet());
    }
  }

  private static Hold newHold() {
    return newHold(cluster.name("gate"));
  }

  private static Hold newHold(String gate) {
    String base = cluster.name("hold");
    return new Hold(base + ".started", gate, base + ".cancelled", base + ".finished");
  }

  private static Map<String, Long> workerPids() {
    return cluster.workers().stream()
        .collect(Collectors.toMap(WorkerProcess::workerId, WorkerProcess::pid));
  }
}
