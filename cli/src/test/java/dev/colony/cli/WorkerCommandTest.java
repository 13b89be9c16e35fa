package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code colony worker} argument handling, in-process. */
class WorkerCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = ColonyCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void workerHelp_describesEveryOption() {
    int exitCode = run("worker", "--help");

    assertEquals(0, exitCode);
    String help = out.toString();
    for (String option :
        new String[] {
          "--coordinator",
          "--slots",
          "--prefetch",
          "--name",
          "--tasks",
          "--virtual-threads",
          "--drain-grace"
        }) {
      assertTrue(help.contains(option), () -> option + " missing from: " + help);
    }
  }

  @Test
  void workerHelp_saysWhereTheCoordinatorComesFromWithoutTheFlag() {
    assertEquals(0, run("worker", "--help"));
    String help = out.toString().replaceAll("\\s+", " ");
    assertTrue(
        help.contains(
            "default: the COLONY_COORDINATOR environment variable, else 'coordinator' in the"
                + " config file, else 127.0.0.1:7070"),
        help);
    assertTrue(help.contains("--config=FILE"), help);
  }

  @Test
  void worker_coordinatorWithoutPort_isAUsageError() {
    assertEquals(2, run("worker", "--coordinator", "localhost"));
    assertTrue(err.toString().contains("HOST:PORT"), err::toString);
  }

  @Test
  void worker_prefetchOutOfRange_isAUsageError() {
    assertEquals(2, run("worker", "--coordinator", "127.0.0.1:1", "--prefetch", "-1"));
    assertTrue(err.toString().contains("prefetch must be between 0 and 10000"), err::toString);
  }

  @Test
  void worker_slotsOutOfRange_isAUsageError() {
    assertEquals(2, run("worker", "--coordinator", "127.0.0.1:1", "--slots", "0"));
    assertTrue(err.toString().contains("slots must be between 1 and 10000"), err::toString);
  }

  @Test
  void worker_tasksPathThatDoesNotExist_isAUsageError() {
    assertEquals(2, run("worker", "--coordinator", "127.0.0.1:1", "--tasks", "/no/such.jar"));
    assertTrue(err.toString().contains("/no/such.jar"), err::toString);
  }

  @Test
  void worker_badDrainGrace_isAUsageError() {
    assertEquals(2, run("worker", "--coordinator", "127.0.0.1:1", "--drain-grace", "soon"));
    assertTrue(err.toString().contains("not a duration"), err::toString);
  }

  @Test
  void durationConverter_readsCommonForms() {
    DurationConverter converter = new DurationConverter();

    assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
    assertEquals(Duration.ofSeconds(30), converter.convert("30s"));
    assertEquals(Duration.ofSeconds(30), converter.convert("30"));
    assertEquals(Duration.ofMinutes(2), converter.convert("2m"));
    assertEquals(Duration.ofHours(1), converter.convert("1h"));
    assertEquals(Duration.ofSeconds(90), converter.convert("PT1M30S"));
    assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("-1s"));
  }
}
