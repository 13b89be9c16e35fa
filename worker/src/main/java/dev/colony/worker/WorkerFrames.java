package dev.colony.worker;

import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerDrain;
import dev.colony.proto.v1.WorkerExit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHeartbeat;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerResults;
import dev.colony.proto.v1.WorkerTaskResult;
import java.util.ArrayList;
import java.util.List;

/** The frames a worker sends on its stream to the coordinator. */
final class WorkerFrames {
  private WorkerFrames() {}

  static WorkerFrame hello(
      WorkerOptions options,
      String host,
      long pid,
      String sessionId,
      String resumeWorkerId,
      List<Long> reportingTaskIds) {
    WorkerHello hello =
        WorkerHello.newBuilder()
            .setName(options.name())
            .setHost(host)
            .setPid(pid)
            .setSlots(options.slots())
            .setSessionId(sessionId)
            .setResumeWorkerId(resumeWorkerId == null ? "" : resumeWorkerId)
            .addAllReportingTaskIds(reportingTaskIds)
            .build();
    return WorkerFrame.newBuilder().setHello(hello).build();
  }

  static WorkerFrame result(WorkerTaskResult result) {
    return WorkerFrame.newBuilder().setResult(result).build();
  }

  /**
   * Results sent together, at most this many bytes to a frame (or the coordinator's limit if
   * lower), so one frame never holds results back for long.
   */
  static final long BATCH_BYTES = 1 << 20;

  /**
   * The frames that carry {@code results} in order: as many to a frame as fit in {@link
   * #BATCH_BYTES} and {@code maxMessageBytes} (0: unknown), one {@code result} frame for a result
   * alone. Each result must fit a frame of its own (see {@link #result(WorkerTaskResult, long)}).
   */
  static List<WorkerFrame> results(List<WorkerTaskResult> results, long maxMessageBytes) {
    long limit = maxMessageBytes > 0 ? Math.min(BATCH_BYTES, maxMessageBytes) : BATCH_BYTES;
    List<WorkerFrame> frames = new ArrayList<>();
    int from = 0;
    long bytes = FRAME_OVERHEAD_BYTES;
    for (int i = 0; i < results.size(); i++) {
      long size = results.get(i).getSerializedSize() + ENTRY_OVERHEAD_BYTES;
      if (i > from && bytes + size > limit) {
        frames.add(batch(results.subList(from, i)));
        from = i;
        bytes = FRAME_OVERHEAD_BYTES;
      }
      bytes += size;
    }
    if (from < results.size()) {
      frames.add(batch(results.subList(from, results.size())));
    }
    return frames;
  }

  // A repeated entry's tag and length, and the batch's own, at most.
  private static final int ENTRY_OVERHEAD_BYTES = 6;
  private static final int FRAME_OVERHEAD_BYTES = 6;

  private static WorkerFrame batch(List<WorkerTaskResult> results) {
    return results.size() == 1
        ? result(results.get(0))
        : WorkerFrame.newBuilder()
            .setResults(WorkerResults.newBuilder().addAllResults(results))
            .build();
  }

  /**
   * What a resend adds to a result frame (the {@code resent} flag): a frame that fits only without
   * it would reset the stream it is sent again on.
   */
  private static final int RESENT_FLAG_BYTES = 2;

  /**
   * The frame reporting {@code result}, or, if that frame is over {@code maxMessageBytes} (0:
   * unknown), a failure of the task saying so. The coordinator would answer an oversized frame by
   * resetting the stream, which fails every task the worker runs and reconnects it, and the task
   * would run again and again; failing it alone tells its submitter what to change.
   */
  static WorkerFrame result(WorkerTaskResult result, long maxMessageBytes) {
    WorkerFrame frame = result(result);
    long size = (long) frame.getSerializedSize() + RESENT_FLAG_BYTES;
    if (maxMessageBytes <= 0 || size <= maxMessageBytes) {
      return frame;
    }
    String what =
        result.hasError()
            ? "the error of task "
                + result.getTaskId()
                + " ("
                + shortened(
                    result.getError().getClassName() + ": " + result.getError().getMessage())
                + ")"
            : "the result of task " + result.getTaskId();
    RemoteError tooLarge =
        RemoteError.newBuilder()
            .setClassName("dev.colony.ResultTooLargeException")
            .setMessage(
                what
                    + " is "
                    + size
                    + " bytes encoded, over the coordinator's limit of "
                    + maxMessageBytes
                    + " bytes per message, so the worker did not send it; return less from the"
                    + " task (e.g. store large data elsewhere and return a reference to it), or"
                    + " use smaller chunks")
            .setReason(TaskFailureReason.RESULT_TOO_LARGE)
            .build();
    return result(result.toBuilder().setError(tooLarge).build());
  }

  private static String shortened(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /** The task's result as interrupted: the coordinator runs it again elsewhere. */
  static WorkerFrame handBack(RunningTask task) {
    return result(TaskRunner.stopped(resultFor(task), task, RunningTask.Stop.INTERRUPTED, null));
  }

  static WorkerTaskResult.Builder resultFor(RunningTask task) {
    return WorkerTaskResult.newBuilder()
        .setTaskId(task.assignment().getTaskId())
        .setAttempt(task.assignment().getAttempt());
  }

  static WorkerFrame credit(int slots) {
    return WorkerFrame.newBuilder().setCredit(WorkerCredit.newBuilder().setSlots(slots)).build();
  }

  static WorkerFrame heartbeat() {
    return WorkerFrame.newBuilder().setHeartbeat(WorkerHeartbeat.getDefaultInstance()).build();
  }

  static WorkerFrame exit(String reason) {
    return WorkerFrame.newBuilder().setExit(WorkerExit.newBuilder().setReason(reason)).build();
  }

  static WorkerFrame drain() {
    return WorkerFrame.newBuilder().setDrain(WorkerDrain.getDefaultInstance()).build();
  }
}
