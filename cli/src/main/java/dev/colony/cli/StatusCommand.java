package dev.colony.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.ClusterNodeStatus;
import dev.colony.proto.v1.ClusterStatus;
import dev.colony.proto.v1.Deadlock;
import dev.colony.proto.v1.DeadlockEdge;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.TaskCounts;
import dev.colony.proto.v1.WorkerStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code colony status}: what a coordinator hosts and runs, as tables or JSON. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Shows a coordinator's workers, shared objects, lock wait cycles and tasks.",
      "The task rate is measured: the command samples the coordinator twice, --rate-window"
          + " apart, and divides the tasks finished in between by the time. --json prints one"
          + " sample, with no rate, for scripts (jq and friends)."
    },
    footer = {
      "%nExit codes: 0 done; 1 the coordinator could not be reached or refused; 2 bad command"
          + " line."
    })
final class StatusCommand implements Callable<Integer> {
  private static final int SHOWN_FAILURES = 5;

  @Spec CommandSpec spec;

  @Mixin CoordinatorOption coordinator;

  @Option(
      names = "--json",
      description =
          "Print the coordinator's StatusResponse as JSON (proto3 JSON mapping: 64-bit numbers"
              + " are strings, every field is present).")
  boolean json;

  @Option(
      names = "--rate-window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Measure the task rate here, between two samples this far apart, instead of taking the"
              + " coordinator's figure for its last ten seconds (the default, or 0).")
  Duration rateWindow;

  @Override
  public Integer call() throws InterruptedException, InvalidProtocolBufferException {
    ColonyOptions target = coordinator.connection();
    if (rateWindow != null
        && (rateWindow.isNegative() || rateWindow.compareTo(Duration.ofMinutes(10)) > 0)) {
      throw new ParameterException(
          spec.commandLine(), "--rate-window must be between 0 and 10m, got " + rateWindow);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (AdminClient admin = new AdminClient(target)) {
      StatusResponse status = admin.status();
      if (json) {
        out.println(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(status));
        out.flush();
        return ExitCodes.OK;
      }
      String rate = rate(status.getTasks());
      if (rateWindow != null && !rateWindow.isZero()) {
        long start = System.nanoTime();
        Thread.sleep(rateWindow.toMillis());
        StatusResponse later = admin.status();
        rate = rate(status.getTasks(), later.getTasks(), System.nanoTime() - start);
        status = later;
      }
      print(out, target.getTarget(), status, rate);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void print(PrintWriter out, String target, StatusResponse status, String rate) {
    out.println(
        "Coordinator "
            + target
            + ": "
            + (status.getUptimeMs() > 0
                ? "up " + Formats.duration(status.getUptimeMs()) + ", "
                : "")
            + status.getSessions()
            + (status.getSessions() == 1 ? " session" : " sessions"));
    if (status.getMaxStoredBytes() > 0) {
      out.println(
          "stored: "
              + Formats.bytes(status.getStoredBytes())
              + " of "
              + Formats.bytes(status.getMaxStoredBytes())
              + " (objects and tasks); retry caches: "
              + Formats.bytes(status.getRetryCacheBytes())
              + " of "
              + Formats.bytes(status.getMaxRetryBytes()));
    }
    if (status.hasCluster()) {
      printCluster(out, status.getCluster());
    }

    out.println();
    out.println("WORKERS (" + status.getWorkersCount() + ")");
    if (status.getWorkersCount() == 0) {
      out.println("none: start one with `colony worker --coordinator " + target + "`");
    } else {
      Table workers = new Table("ID", "NAME", "HOST", "PID", "SLOTS", "BUSY", "LAST HEARTBEAT");
      status.getWorkersList().stream()
          .sorted(Comparator.comparing(WorkerStatus::getWorkerId))
          .forEach(
              w ->
                  workers.row(
                      w.getWorkerId(),
                      w.getName(),
                      w.getHost(),
                      w.getPid(),
                      w.getSlots(),
                      w.getBusy(),
                      Formats.ago(w.getLastSeenMsAgo()) + (w.getDraining() ? " (draining)" : "")));
      workers.print(out);
    }

    out.println();
    out.println("OBJECTS (" + status.getObjectsCount() + ")");
    if (status.getObjectsCount() == 0) {
      out.println("none");
    } else {
      Table objects = new Table("NAME", "TYPE", "SIZE", "HOLDERS", "WAITERS", "DETAIL");
      status.getObjectsList().stream()
          .sorted(Comparator.comparing(ObjectInfo::getName))
          .forEach(
              o ->
                  objects.row(
                      o.getName(),
                      Formats.type(o.getType()),
                      o.getSize(),
                      Formats.owners(o.getHoldersList()),
                      o.getWaiters(),
                      o.getDetail()));
      objects.print(out);
    }

    printDeadlocks(out, status);

    out.println();
    out.println("TASKS");
    TaskCounts tasks = status.getTasks();
    new Table("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "RATE")
        .row(tasks.getQueued(), tasks.getRunning(), tasks.getSucceeded(), tasks.getFailed(), rate)
        .print(out);
    if (status.hasNoWorker()) {
      out.println("WARNING: " + status.getNoWorker().getMessage());
    }
    printFailures(out, status);
  }

  /** The replicated group: each node with its role and how far behind the leader it is. */
  private static void printCluster(PrintWriter out, ClusterStatus cluster) {
    out.println();
    out.println(
        "CLUSTER ("
            + cluster.getNodesCount()
            + " nodes, term "
            + cluster.getTerm()
            + ", "
            + (cluster.getLeaderId().isEmpty()
                ? "no leader yet"
                : "leader " + cluster.getLeaderId())
            + ", answered by "
            + cluster.getSelfId()
            + ")");
    Table nodes = new Table("ID", "ADDRESS", "RAFT", "ROLE", "COMMIT", "LAG", "PID");
    for (ClusterNodeStatus node : cluster.getNodesList()) {
      nodes.row(
          node.getId(),
          node.getAddress().isEmpty() ? "-" : node.getAddress(),
          node.getRaftAddress(),
          node.getRole(),
          node.getCommitIndex() < 0 ? "-" : node.getCommitIndex(),
          node.getLag() < 0 ? "-" : node.getLag(),
          node.getPid() == 0 ? "-" : node.getPid());
    }
    nodes.print(out);
  }

  /** Each wait-for cycle as one line per edge: who waits for what, held by whom. */
  private static void printDeadlocks(PrintWriter out, StatusResponse status) {
    out.println();
    out.println("DEADLOCKS (" + status.getDeadlocksCount() + ")");
    if (status.getDeadlocksCount() == 0) {
      out.println("none");
      return;
    }
    for (Deadlock deadlock : status.getDeadlocksList()) {
      out.println("cycle detected " + Formats.ago(deadlock.getDetectedMsAgo()) + ":");
      for (DeadlockEdge edge : deadlock.getEdgesList()) {
        out.println(
            "  "
                + Formats.owner(edge.getWaiter())
                + " waits for "
                + Formats.type(edge.getObjectType())
                + " '"
                + edge.getObject()
                + "', held by "
                + Formats.owner(edge.getHolder()));
      }
    }
  }

  /** The newest task failures, one line each; the stack traces are in --json and the dashboard. */
  private static void printFailures(PrintWriter out, StatusResponse status) {
    int count = status.getRecentFailuresCount();
    if (count == 0) {
      return;
    }
    out.println();
    out.println(
        "RECENT FAILURES ("
            + (count > SHOWN_FAILURES ? "newest " + SHOWN_FAILURES + " of " + count : count)
            + "; stack traces in --json and on the dashboard)");
    Table failures = new Table("TASK", "NAME", "ERROR", "WHERE", "WHEN");
    status.getRecentFailuresList().stream()
        .limit(SHOWN_FAILURES)
        .forEach(
            f ->
                failures.row(
                    f.getTaskId(),
                    f.getName(),
                    f.getError().getClassName()
                        + (f.getError().getMessage().isEmpty()
                            ? ""
                            : ": " + firstLine(f.getError().getMessage())),
                    f.getWorkerHost().isEmpty()
                        ? "never ran"
                        : f.getWorkerHost() + " pid " + f.getWorkerPid(),
                    Formats.ago(f.getFailedMsAgo())));
    failures.print(out);
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end) + " ...";
  }

  /** Tasks finished (succeeded or failed) per second between two samples. */
  /** The coordinator's own figure; one too old to have it says so. */
  static String rate(TaskCounts counts) {
    if (counts.getRateWindowMs() == 0) {
      return "not reported by this coordinator (measure it with --rate-window 1s)";
    }
    return String.format(
        Locale.ROOT,
        "%.1f tasks/s (finished, over the last %.1f s)",
        counts.getFinishedPerSecond(),
        counts.getRateWindowMs() / 1000.0);
  }

  static String rate(TaskCounts before, TaskCounts after, long elapsedNanos) {
    long finished =
        after.getSucceeded() + after.getFailed() - before.getSucceeded() - before.getFailed();
    double seconds = elapsedNanos / 1e9;
    return String.format(
        Locale.ROOT, "%.1f tasks/s (finished, over %.1f s)", finished / seconds, seconds);
  }
}
