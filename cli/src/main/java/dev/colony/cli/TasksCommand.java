package dev.colony.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.client.internal.TaskPayloads;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TaskLog;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskState;
import dev.colony.proto.v1.TaskSummary;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code colony tasks}: the tasks a coordinator tracks; {@code tasks show ID}: one of them. */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Lists the latest tasks, newest first (at most 50): queued, running and finished, collected"
          + " or not. `colony status` has the task counts and the latest failures; `colony tasks"
          + " show ID` one task's result (until collected), error and log."
    },
    footer = {
      "%nExit codes: 0 done (also when there are none); 1 the coordinator could not be reached or"
          + " refused; 2 bad command line."
    })
final class TasksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CoordinatorOption coordinator;

  @Option(
      names = "--json",
      description =
          "Print {\"recentTasks\": [...]} as JSON (proto3 JSON mapping: 64-bit numbers are"
              + " strings, every field is present).")
  boolean json;

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    StatusResponse status;
    try (AdminClient admin = new AdminClient(coordinator.connection())) {
      status = admin.status();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          JsonFormat.printer()
              .alwaysPrintFieldsWithNoPresence()
              .print(StatusResponse.newBuilder().addAllRecentTasks(status.getRecentTasksList())));
    } else if (status.getRecentTasksCount() == 0) {
      out.println("none");
    } else {
      Table table = new Table("ID", "NAME", "STATE", "WORKER", "QUEUED");
      for (TaskSummary task : status.getRecentTasksList()) {
        table.row(
            task.getTaskId(),
            task.getName(),
            TaskResults.state(task.getState()),
            task.getWorkerHost().isEmpty()
                ? "-"
                : task.getWorkerHost() + " pid " + task.getWorkerPid(),
            Formats.ago(task.getQueuedMsAgo()));
      }
      table.print(out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Prints task ID: its state, where it ran, what it logged through its context's logger"
            + " (the last 100 lines, 16 KiB), and its result or error with the stack trace.",
        "The coordinator keeps a task until its submitter collected the result or left, then"
            + " (without its result) among the last 50 that finished and the last 50 failures."
      },
      footer = {
        "%nExit codes: 0 shown (whatever the task's state); 1 failed (the reason is on stderr);"
            + " 2 bad command line; 3 the coordinator no longer knows the task."
      })
  int show(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "ID", description = "The task's id.") long id,
      @Option(names = "--json", description = "Print the task's TaskOutcome as JSON.") boolean json)
      throws InvalidProtocolBufferException {
    ColonyOptions target = coordinator.connection();
    Optional<TaskOutcome> task;
    try (ColonyClient colony = Connections.connect(target)) {
      task = colony.task(id);
    }
    if (task.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("no task " + id + " (unknown, or older than the last 50 that finished)");
      err.flush();
      return ExitCodes.NOTHING;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(task.get()));
    } else {
      print(out, task.get());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void print(PrintWriter out, TaskOutcome task) {
    out.println("task " + task.getTaskId() + ": " + TaskResults.state(task.getState()));
    String name = task.getDisplayName().isEmpty() ? task.getTaskName() : task.getDisplayName();
    if (!name.isEmpty()) {
      out.println("name: " + name);
    }
    if (!task.getWorkerHost().isEmpty() || !task.getWorkerId().isEmpty()) {
      out.println(
          "worker: "
              + (task.getWorkerId().isEmpty() ? "" : task.getWorkerId() + " ")
              + "on "
              + task.getWorkerHost()
              + " pid "
              + task.getWorkerPid()
              + ", attempt "
              + task.getAttempt());
    }
    if (task.getState() == TaskState.TASK_STATE_SUCCEEDED) {
      try {
        for (Payload result : TaskPayloads.results(task)) {
          out.println("result: " + TaskResults.text(result));
        }
      } catch (InvalidProtocolBufferException e) {
        out.println("result: (packed results that do not parse: " + e.getMessage() + ")");
      }
    }
    printLog(out, task.getLog());
    if (task.hasError()) {
      printError(out, "error: ", task.getError());
    }
  }

  /** What the task logged, one line each, indented; nothing if it logged nothing. */
  private static void printLog(PrintWriter out, TaskLog log) {
    if (log.getLinesCount() == 0 && log.getDroppedLines() == 0) {
      return;
    }
    out.println(
        log.getDroppedLines() == 0
            ? "log:"
            : "log (" + log.getDroppedLines() + " earlier lines dropped):");
    for (String line : log.getLinesList()) {
      out.println("  " + line);
    }
  }

  private static void printError(PrintWriter out, String prefix, RemoteError error) {
    out.println(prefix + TaskResults.oneLine(error));
    for (String frame : error.getStackList()) {
      out.println("    " + frame);
    }
    if (error.hasCause()) {
      printError(out, "caused by: ", error.getCause());
    }
  }
}
