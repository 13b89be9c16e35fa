package dev.colony.server.core;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Owner;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.TaskLog;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSnapshot;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskState;
import dev.colony.proto.v1.WorkerHello;
import java.util.ArrayList;
import java.util.List;

/** A task from submission until its result is collected. */
final class TaskRecord {
  final long id;
  TaskSpec spec;
  final Session submitter;
  final Owner submitterOwner;
  final List<TaskBoard.TaskWaiter> waiters = new ArrayList<>(1);
  TaskState state = TaskState.TASK_STATE_QUEUED;
  int attempt;
  WorkerRecord worker;
  List<dev.colony.proto.v1.Payload> results = List.of();
  // The results of a task submitted with packed arguments, as the worker encoded them.
  ByteString packedResults = ByteString.EMPTY;
  RemoteError error;
  // What the attempt that ended it logged (bounded, see TaskLogs); null if nothing.
  TaskLog log;
  boolean orphaned;
  // Where the last attempt ran, kept after the worker is gone.
  WorkerHello ranOn;
  // How the worker of the latest lost attempt was lost, for the failure message; null if none.
  String lastLoss;
  // When it was last queued: its wait for a worker counts from here (see TaskBoard.NoWorkerCheck).
  long queuedAt;
  // Listed in TaskBoard's recent failures, which keeps it (spec, error) after it leaves the board.
  boolean inRecentFailures;
  boolean inRecentlyDone;
  // What it counts toward the stored bytes right now (see TaskBoard.recount).
  long counted;

  TaskRecord(long id, TaskSpec spec, Session submitter, Owner submitterOwner) {
    this.id = id;
    this.spec = spec;
    this.submitter = submitter;
    this.submitterOwner = submitterOwner;
  }

  boolean isFinished() {
    return state == TaskState.TASK_STATE_SUCCEEDED
        || state == TaskState.TASK_STATE_FAILED
        || state == TaskState.TASK_STATE_CANCELLED;
  }

  TaskAssignment assignment() {
    ranOn = worker.hello;
    return TaskAssignment.newBuilder()
        .setTaskId(id)
        .setAttempt(attempt)
        .setTaskName(spec.getTaskName())
        .addAllArguments(spec.getArgumentsList())
        .setPackedArguments(spec.getPackedArguments())
        .setTimeoutMs(spec.getTimeoutMs())
        .setDisplayName(spec.getDisplayName())
        .setSubmitter(submitterOwner)
        .setCodeSha256(spec.getCodeSha256())
        .build();
  }

  TaskSnapshot toSnapshot(SnapshotWriter writer, boolean onBoard) {
    TaskSnapshot.Builder snapshot =
        TaskSnapshot.newBuilder()
            .setId(id)
            .setSpec(spec)
            .setSubmitterSessionId(
                onBoard && !orphaned ? writer.sessionId(submitter) : submitter.id())
            .setSubmitterOwner(submitterOwner)
            .setState(state)
            .setAttempt(attempt)
            .addAllResults(results)
            .setPackedResults(packedResults)
            .setOrphaned(orphaned)
            .setQueuedAtMs(queuedAt);
    if (error != null) {
      snapshot.setError(error);
    }
    if (log != null) {
      snapshot.setLog(log);
    }
    if (ranOn != null) {
      snapshot.setRanOn(ranOn);
    }
    if (lastLoss != null) {
      snapshot.setLastLoss(lastLoss);
    }
    if (worker != null) {
      snapshot.setWorkerId(worker.id).setWorkerGone(worker.gone);
    }
    for (TaskBoard.TaskWaiter waiter : waiters) {
      snapshot.addWaiters(writer.ref(waiter));
    }
    return snapshot.build();
  }

  TaskOutcome outcome() {
    TaskOutcome.Builder outcome =
        TaskOutcome.newBuilder()
            .setTaskId(id)
            .setState(state)
            .addAllResults(results)
            .setPackedResults(packedResults)
            .setAttempt(attempt)
            .setDisplayName(spec.getDisplayName())
            .setTaskName(spec.getTaskName());
    if (error != null) {
      outcome.setError(error);
    }
    if (log != null) {
      outcome.setLog(log);
    }
    if (worker != null) {
      outcome.setWorkerId(worker.id);
    }
    if (ranOn != null) {
      outcome.setWorkerHost(ranOn.getHost()).setWorkerPid(ranOn.getPid());
    }
    return outcome.build();
  }
}
