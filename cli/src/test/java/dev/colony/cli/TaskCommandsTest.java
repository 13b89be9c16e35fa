package dev.colony.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyProcess;
import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.proto.v1.TaskState;
import dev.colony.server.ColonyServer;
import dev.colony.worker.WorkerDaemon;
import dev.colony.worker.WorkerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code colony submit}, {@code colony cancel} and {@code colony tasks show} with a real worker.
 */
@Timeout(90)
class TaskCommandsTest {
  private final ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
  private final String address = "127.0.0.1:" + server.port();
  private final ColonyClient sdk = Colony.connect(address);
  private final ByteArrayOutputStream workerOutput = new ByteArrayOutputStream();
  private WorkerDaemon worker;

  @BeforeEach
  void startWorker() throws Exception {
    worker =
        new WorkerDaemon(
            WorkerOptions.newBuilder()
                .setCoordinator(address)
                .setSlots(2)
                .setName("task-commands-test")
                .addAllowedTasks("dev.colony.cli.**")
                .setTaskLogOutput(new PrintStream(workerOutput, true, StandardCharsets.UTF_8))
                .build());
    worker.start().joined().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    sdk.close();
    worker.shutdownNow();
    worker.awaitTermination(10, TimeUnit.SECONDS);
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private CliRun colony(String... args) {
    return CliRun.against(address, args);
  }

  @Test
  void submit_printsAStringResultPlain() {
    CliRun run = colony("submit", EchoTask.class.getName(), "hello there");

    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("hello there\n", run.out());
    assertEquals("", run.err());
  }

  @Test
  void aSubmittedTask_staysInTasksAndTasksShow_afterItsResultWasCollected() {
    assertEquals(0, colony("submit", EchoTask.class.getName(), "kept").exitCode());

    CliRun tasks = colony("tasks");
    assertEquals(0, tasks.exitCode(), tasks::toString);
    String row =
        tasks
            .out()
            .lines()
            .filter(l -> l.contains(EchoTask.class.getSimpleName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no EchoTask row: " + tasks));
    assertTrue(row.contains("succeeded"), tasks::toString);
    String id = row.strip().split("\\s+")[0];

    CliRun show = colony("tasks", "show", id);
    assertEquals(0, show.exitCode(), show::toString);
    assertTrue(show.out().startsWith("task " + id + ": succeeded\n"), show::toString);
  }

  @Test
  void submit_printsAStructuredResultAsJson() {
    CliRun run = colony("submit", SquareTask.class.getName(), "7", "--type", "long");

    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("{\"n\":7,\"square\":49}\n", run.out());
  }

  @Test
  void submit_ofAFailingTask_printsTheRemoteErrorAndExits1() {
    CliRun run = colony("submit", FailingTask.class.getName(), "boom 42");

    assertEquals(1, run.exitCode(), run::toString);
    assertEquals("", run.out());
    assertTrue(
        run.err()
            .matches("colony submit: task \\d+ failed: java.lang.IllegalStateException: boom 42\n"),
        run::toString);
  }

  @Test
  void submit_ofAClassTheWorkerDoesNotAllow_fails() {
    CliRun run = colony("submit", "java.lang.Object");

    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("colony submit: task "), run::toString);
    assertEquals(1, run.err().lines().count(), run::toString);
  }

  @Test
  void submit_pastItsTimeout_cancelsTheTaskAndExits1() {
    CliRun run = colony("submit", BlockingTask.class.getName(), "--timeout", "300ms");

    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(
        run.err().matches("colony submit: task \\d+ did not finish within 300 ms; cancelled it\n"),
        run::toString);
    long id = Long.parseLong(run.err().replaceAll("\\D*(\\d+).*\\s*", "$1"));
    // The command's session ended with it, so the coordinator forgets the cancelled task.
    await("the timed-out task stops")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> sdk.task(id).map(t -> t.getState() != TaskState.TASK_STATE_RUNNING).orElse(true));
  }

  @Test
  void cancel_interruptsARunningTask_andTasksShowSaysWhereItRan() throws Exception {
    ColonyProcess<String> process = sdk.process(BlockingTask.class, "x");
    process.start();
    await("the task runs")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                sdk.task(process.taskId())
                    .map(t -> t.getState() == TaskState.TASK_STATE_RUNNING)
                    .orElse(false));
    String id = String.valueOf(process.taskId());

    CliRun show = colony("tasks", "show", id);
    assertEquals(0, show.exitCode(), show::toString);
    assertTrue(show.out().startsWith("task " + id + ": running\n"), show::toString);
    assertTrue(show.out().contains("\nworker: "), show::toString);

    CliRun cancel = colony("cancel", id);
    assertEquals(0, cancel.exitCode(), cancel::toString);
    assertEquals("cancelled task " + id + "\n", cancel.out());
    assertTrue(process.join(30, TimeUnit.SECONDS), "the cancelled task ends");
    assertEquals(-15, process.exitCode());

    CliRun again = colony("cancel", id);
    assertEquals(ExitCodes.NOTHING, again.exitCode(), again::toString);
    assertEquals("", again.out());
    assertEquals("no unfinished task " + id + " (it finished, or is unknown)\n", again.err());
  }

  @Test
  void tasksShow_ofAFailedTask_printsTheErrorAndStack() {
    long id;
    try (Pool pool = sdk.pool(PoolOptions.newBuilder().setMaxRetries(0).build())) {
      RemoteTaskException failed =
          assertThrows(RemoteTaskException.class, () -> pool.apply(FailingTask.class, "boom 42"));
      id = failed.taskId();
    }

    CliRun show = colony("tasks", "show", String.valueOf(id));

    assertEquals(0, show.exitCode(), show::toString);
    assertTrue(show.out().startsWith("task " + id + ": failed\n"), show::toString);
    assertTrue(
        show.out().contains("\nerror: java.lang.IllegalStateException: boom 42\n    at "),
        show::toString);
  }

  @Test
  void tasksShow_ofATaskThatLoggedAndFailed_printsItsLogAndError() throws Exception {
    long id;
    try (Pool pool = sdk.pool(PoolOptions.newBuilder().setMaxRetries(0).build())) {
      RemoteTaskException failed =
          assertThrows(RemoteTaskException.class, () -> pool.apply(LoggingTask.class, "cat.jpg"));
      id = failed.taskId();
    }

    CliRun show = colony("tasks", "show", String.valueOf(id));

    assertEquals(0, show.exitCode(), show::toString);
    assertEquals("", show.err());
    List<String> lines = show.out().lines().toList();
    assertEquals("task " + id + ": failed", lines.get(0), show::toString);
    assertEquals("name: " + LoggingTask.class.getName(), lines.get(1), show::toString);
    // The pool collected the outcome; the coordinator still knows the task, among the recent ones.
    assertTrue(
        lines
            .get(2)
            .matches(
                "worker: worker-\\d+ on \\S+ pid " + ProcessHandle.current().pid() + ", attempt 1"),
        show::toString);
    int log = 3;
    assertEquals(
        List.of(
            "log:",
            "  INFO resizing cat.jpg",
            "  WARN cat.jpg is larger than 10 MB",
            "error: java.lang.IllegalStateException: cannot resize cat.jpg"),
        lines.subList(log, log + 4),
        show::toString);
    assertTrue(
        lines.get(log + 4).matches("    at dev\\.colony\\.cli\\.LoggingTask\\.call\\(.*"),
        show::toString);
    assertEquals(
        "[task "
            + id
            + " LoggingTask] INFO resizing cat.jpg\n"
            + "[task "
            + id
            + " LoggingTask] WARN cat.jpg is larger than 10 MB\n",
        workerOutput.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));

    CliRun json = colony("tasks", "show", String.valueOf(id), "--json");
    assertTrue(
        json.out()
            .contains(
                "\"log\": {\n    \"lines\": [\"INFO resizing cat.jpg\","
                    + " \"WARN cat.jpg is larger than 10 MB\"],\n"
                    + "    \"droppedLines\": \"0\"\n  }"),
        json::toString);
  }

  @Test
  void tasks_listsTheTrackedTasks() throws Exception {
    ColonyProcess<String> process = sdk.process(BlockingTask.class, "x");
    process.start();
    await("the task runs")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                sdk.task(process.taskId())
                    .map(t -> t.getState() == TaskState.TASK_STATE_RUNNING)
                    .orElse(false));

    CliRun tasks = colony("tasks");

    assertEquals(0, tasks.exitCode(), tasks::toString);
    List<String> lines = tasks.out().lines().toList();
    assertEquals(2, lines.size(), tasks::toString);
    assertTrue(lines.get(0).matches("ID\\s+NAME\\s+STATE\\s+WORKER\\s+QUEUED"), tasks::toString);
    assertTrue(
        lines
            .get(1)
            .matches(
                "\\s*"
                    + process.taskId()
                    + "\\s+BlockingTask-\\d+\\s+running\\s+\\S+ pid \\d+\\s+[\\d.]+ s ago"),
        tasks::toString);
    CliRun json = colony("tasks", "--json");
    assertTrue(json.out().contains("\"recentTasks\": [{"), json::toString);
    assertTrue(json.out().contains("\"state\": \"TASK_STATE_RUNNING\""), json::toString);
  }

  @Test
  void tasks_withNone_saysNone() {
    CliRun tasks = colony("tasks");

    assertEquals(0, tasks.exitCode(), tasks::toString);
    assertEquals("none\n", tasks.out());
  }

  @Test
  void tasksShow_ofAnUnknownTask_exits3() {
    CliRun show = colony("tasks", "show", "424242");

    assertEquals(ExitCodes.NOTHING, show.exitCode(), show::toString);
    assertEquals("", show.out());
    assertEquals("no task 424242 (unknown, or older than the last 50 that finished)\n", show.err());
  }
}
