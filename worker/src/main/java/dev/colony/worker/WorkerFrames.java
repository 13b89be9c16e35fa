package dev.colony.worker;

import dev.colony.proto.v1.WorkerCredit;
import dev.colony.proto.v1.WorkerDrain;
import dev.colony.proto.v1.WorkerExit;
import dev.colony.proto.v1.WorkerFrame;
import dev.colony.proto.v1.WorkerHeartbeat;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerTaskResult;
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
