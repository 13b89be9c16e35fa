package dev.colony.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyProcess;
import dev.colony.client.ProcessOptions;
import dev.colony.client.RemoteTaskException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code colony submit TASK [ARG]}: runs one task on a worker and prints its result. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs task class TASK on a worker with ARG, waits for it and prints its result:"
          + " JSON for records, maps and lists, plain text for strings and numbers.",
      "The worker must run the class (its --tasks jars, or --allow-tasks). If the task throws,"
          + " its exception is one line on stderr and the exit code is 1. If this command stops"
          + " first (Ctrl-C, --timeout) the task is cancelled."
    },
    footer = {
      "%nExit codes: 0 the task succeeded; 1 it failed, was cancelled or passed --timeout (the"
          + " reason is on stderr); 2 bad command line."
    })
final class SubmitCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How ARG is read: the task receives it as this type. */
  enum ArgumentType {
    STRING,
    LONG,
    DOUBLE,
    JSON
  }

  @Spec CommandSpec spec;

  @Mixin CoordinatorOption coordinator;

  @Parameters(
      index = "0",
      paramLabel = "TASK",
      description = "The task's class name, e.g. com.acme.tasks.Resize.")
  String task;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "ARG",
      description = "The task's argument, read as --type; none passes null.")
  String argument;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      defaultValue = "string",
      description =
          "string, long, double or json (a record or POJO argument); default: ${DEFAULT-VALUE}.")
  ArgumentType type;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "Cancel the task and fail if it has not finished within this time (default: wait as"
              + " long as it takes).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    Object parsed = argument == null ? null : parse(argument);
    try (ColonyClient colony = Connections.connect(coordinator.connection())) {
      // Daemon: the task is cancelled if this command's session ends before it does.
      ColonyProcess<Object> process =
          colony.process(task, parsed, ProcessOptions.newBuilder().setDaemon(true).build());
      process.start();
      if (timeout.isZero()) {
        process.join();
      } else if (!process.join(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.terminate();
        throw new CommandFailedException(
            ExitCodes.ERROR,
            "task "
                + process.taskId()
                + " did not finish within "
                + timeout.toMillis()
                + " ms; cancelled it");
      }
      Object result;
      try {
        result = process.result();
      } catch (RemoteTaskException e) {
        throw new CommandFailedException(
            ExitCodes.ERROR, "task " + process.taskId() + " failed: " + firstLine(e.getMessage()));
      }
      String text = TaskResults.text(result);
      PrintWriter out = spec.commandLine().getOut();
      if (!text.isEmpty()) {
        out.println(text);
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  private Object parse(String text) {
    try {
      return switch (type) {
        case STRING -> text;
        case LONG -> ItemType.LONG.parse(text);
        case DOUBLE -> ItemType.DOUBLE.parse(text);
        case JSON -> JSON.readTree(text);
      };
    } catch (JsonProcessingException e) {
      throw new CommandFailedException(
          ExitCodes.ERROR,
          "'"
              + text
              + "' is not JSON: "
              + firstLine(e.getOriginalMessage()).toLowerCase(Locale.ROOT));
    }
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end) + " ...";
  }
}
