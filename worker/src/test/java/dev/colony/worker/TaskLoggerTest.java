package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.internal.Codecs;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.TaskLog;
import dev.colony.proto.v1.WorkerTaskResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a task logs through its context goes to the worker's output and with its result. */
@Timeout(30)
class TaskLoggerTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
  private final TaskRunner runner =
      new TaskRunner(
          TaskRegistry.create(List.of(), TaskAllowList.of(List.of("regex:.*"))),
          timer,
          () -> new WorkerIdentity("box", 42, null),
          () -> out);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void linesGoToTheOutputWithTheTaskAndWithTheResult() {
    WorkerTaskResult result =
        runner.run(task(42, TestTasks.LogsAndFails.class, "", Codecs.STRING.encode("cat.jpg")));

    assertEquals("out of memory on cat.jpg", result.getError().getMessage());
    assertEquals(
        TaskLog.newBuilder()
            .addLines("INFO resizing cat.jpg")
            .addLines("WARN almost out of memory")
            .build(),
        result.getLog());
    assertEquals(
        "[task 42 LogsAndFails] INFO resizing cat.jpg\n"
            + "[task 42 LogsAndFails] WARN almost out of memory\n",
        output.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }

  @Test
  void theDisplayNameNamesTheTask() {
    runner.run(task(7, TestTasks.LogsLines.class, "resize", Codecs.INT.encode(1)));

    assertEquals(
        "[task 7 resize] INFO line 1\n",
        output.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }

  @Test
  void moreLinesThanTheBound_keepsTheLastOnesAndCountsTheDropped() {
    WorkerTaskResult result =
        runner.run(task(1, TestTasks.LogsLines.class, "", Codecs.INT.encode(250)));

    TaskLog log = result.getLog();
    assertEquals(TaskLogger.MAX_LINES, log.getLinesCount());
    assertEquals(150, log.getDroppedLines());
    assertEquals("INFO line 151", log.getLines(0));
    assertEquals("INFO line 250", log.getLines(99));
    // The output has them all.
    assertEquals(250, output.toString(StandardCharsets.UTF_8).lines().count());
  }

  @Test
  void longLines_areCutAndTheBytesBounded() {
    TaskLogger logger = new TaskLogger(TestTasks.LogsLines.class, "[task 1 x] ", () -> out);
    String long5k = "x".repeat(5000);
    for (int i = 0; i < 10; i++) {
      logger.info(long5k);
    }

    TaskLog log = logger.capture();
    String cut = "INFO " + "x".repeat(TaskLogger.MAX_LINE_CHARS - 5) + " [cut 909]";
    assertTrue(cut.equals(log.getLines(0)), "the line is cut at 4096 characters and says so");
    int bytes = log.getLinesList().stream().mapToInt(String::length).sum();
    assertTrue(bytes <= TaskLogger.MAX_BYTES, () -> bytes + " bytes kept");
    assertEquals(10, log.getLinesCount() + log.getDroppedLines());
    assertEquals(3, log.getLinesCount()); // 4 lines of 4106 bytes are past 16 KiB
  }

  @Test
  void aLoggedException_isOneLineInTheLogAndATraceOnTheOutput() {
    TaskLogger logger = new TaskLogger(TestTasks.LogsLines.class, "[task 1 x] ", () -> out);
    logger.error("gave up on {}", "it", new IllegalStateException("bad"));
    logger.info("after capture");
    TaskLog log = logger.capture();
    logger.info("not kept");

    assertEquals(
        List.of("ERROR gave up on it (java.lang.IllegalStateException: bad)", "INFO after capture"),
        log.getLinesList());
    String printed = output.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed.startsWith(
            "[task 1 x] ERROR gave up on it"
                + System.lineSeparator()
                + "java.lang.IllegalStateException: bad"),
        printed);
    assertTrue(printed.contains("[task 1 x] INFO not kept"), printed);
  }

  private RunningTask task(
      long id, Class<?> type, String displayName, dev.colony.proto.v1.Payload argument) {
    return new RunningTask(
        TaskAssignment.newBuilder()
            .setTaskId(id)
            .setAttempt(1)
            .setTaskName(type.getName())
            .setDisplayName(displayName)
            .addArguments(argument)
            .build(),
        this,
        "worker-1");
  }
}
