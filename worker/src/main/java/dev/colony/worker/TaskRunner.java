package dev.colony.worker;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.colony.client.Task;
import dev.colony.client.task.TaskCodec;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.TaskAssignment;
import dev.colony.proto.v1.TaskFailureReason;
import dev.colony.proto.v1.TaskValues;
import dev.colony.proto.v1.WorkerTaskResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one assignment on the calling slot thread and turns whatever happens into a {@link
 * WorkerTaskResult}: values in argument order, the task's exception, a refusal (unknown task, not a
 * task, bad argument), a timeout or cancellation, or "interrupted" for a task to run again
 * elsewhere. It never throws, so a slot thread survives every task.
 */
final class TaskRunner {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

  private final TaskRegistry registry;
  private final ScheduledExecutorService timer;
  private final Supplier<WorkerIdentity> identity;
  private final Supplier<PrintStream> logOutput;

  /**
   * @param timer interrupts tasks at their timeout
   * @param identity where tasks run; read when each task starts
   * @param logOutput where tasks' log lines go (see {@link TaskLogger}); read at each line
   */
  TaskRunner(
      TaskRegistry registry,
      ScheduledExecutorService timer,
      Supplier<WorkerIdentity> identity,
      Supplier<PrintStream> logOutput) {
    this.registry = registry;
    this.timer = timer;
    this.identity = identity;
    this.logOutput = logOutput;
  }

  WorkerTaskResult run(RunningTask task) {
    TaskAssignment assignment = task.assignment();
    WorkerTaskResult.Builder result =
        WorkerTaskResult.newBuilder()
            .setTaskId(assignment.getTaskId())
            .setAttempt(assignment.getAttempt());
    if (!task.begin(Thread.currentThread())) {
      return stopped(result, task, task.stopReason(), null);
    }
    ScheduledFuture<?> deadline =
        assignment.getTimeoutMs() > 0
            ? timer.schedule(
                () -> task.stop(RunningTask.Stop.TIMED_OUT),
                assignment.getTimeoutMs(),
                TimeUnit.MILLISECONDS)
            : null;
    List<Payload> values = new ArrayList<>(assignment.getArgumentsCount());
    TaskRefusal refusal = null;
    Throwable thrown = null;
    TaskLogger logger = null;
    try {
      TaskType type = registry.lookup(assignment.getTaskName(), assignment.getCodeSha256());
      List<Object> arguments = decodeAll(assignment, type);
      Task<Object, Object> instance = type.newInstance();
      logger = new TaskLogger(type.taskClass(), prefix(assignment, type), logOutput);
      WorkerTaskContext context = new WorkerTaskContext(task, identity.get(), logger);
      // A chunk: one call per argument, in order; the first exception fails the whole task.
      for (Object argument : arguments) {
        if (task.isStopped()) {
          break;
        }
        values.add(Arguments.encode(instance.call(argument, context)));
      }
    } catch (TaskRefusal e) {
      refusal = e;
    } catch (Throwable e) {
      thrown = e;
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
    }
    RunningTask.Stop why = task.end();
    if (logger != null) {
      result.setLog(logger.capture());
    }
    if (why != null) {
      return stopped(result, task, why, thrown);
    }
    if (refusal != null) {
      log.info(
          "task {} ({}) refused: {}",
          assignment.getTaskId(),
          refusal.reason(),
          refusal.getMessage());
      return result.setError(RemoteErrors.refusal(refusal)).build();
    }
    if (thrown != null) {
      log.debug("task {} {} threw", assignment.getTaskId(), assignment.getTaskName(), thrown);
      return result.setError(RemoteErrors.thrown(thrown, TaskFailureReason.TASK_THREW)).build();
    }
    // A packed task's results go back packed: the coordinator passes them on unparsed.
    return assignment.getPackedArguments().isEmpty()
        ? result.setValues(TaskValues.newBuilder().addAllValues(values)).build()
        : result.setPackedValues(TaskCodec.pack(values)).build();
  }

  /** {@code [task 42 resize] }: the display name, or else the task class's simple name. */
  private static String prefix(TaskAssignment assignment, TaskType type) {
    String name = assignment.getDisplayName();
    return "[task "
        + assignment.getTaskId()
        + " "
        + (name.isEmpty() ? type.taskClass().getSimpleName() : name)
        + "] ";
  }

  private static List<Object> decodeAll(TaskAssignment assignment, TaskType type)
      throws TaskRefusal {
    List<Payload> payloads = payloads(assignment);
    List<Object> arguments = new ArrayList<>(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      arguments.add(
          Arguments.decode(payloads.get(i), type.argumentType(), assignment.getTaskName(), i));
    }
    return arguments;
  }

  /** The assignment's arguments, unpacked if they came packed (a Pool.map chunk). */
  private static List<Payload> payloads(TaskAssignment assignment) throws TaskRefusal {
    if (assignment.getPackedArguments().isEmpty()) {
      return assignment.getArgumentsList();
    }
    try {
      return TaskCodec.unpack(assignment.getPackedArguments());
    } catch (InvalidProtocolBufferException e) {
      throw TaskRefusal.badArgument(
          "task " + assignment.getTaskName() + " has packed arguments that do not parse", e);
    }
  }

  /** The result of a task stopped before it finished; what it threw then becomes the cause. */
  static WorkerTaskResult stopped(
      WorkerTaskResult.Builder result, RunningTask task, RunningTask.Stop why, Throwable thrown) {
    TaskAssignment assignment = task.assignment();
    String what = "task " + assignment.getTaskId() + " (" + assignment.getTaskName() + ")";
    return switch (why) {
      case TIMED_OUT ->
          result
              .setError(
                  RemoteErrors.stopped(
                      "java.util.concurrent.TimeoutException",
                      what + " timed out after " + assignment.getTimeoutMs() + " ms",
                      TaskFailureReason.TASK_TIMED_OUT,
                      thrown))
              .build();
      case CANCELLED ->
          result
              .setError(
                  RemoteErrors.stopped(
                      "java.util.concurrent.CancellationException",
                      what + " was cancelled",
                      TaskFailureReason.TASK_CANCELLED,
                      thrown))
              .build();
      case INTERRUPTED -> result.setInterrupted(true).build();
    };
  }
}
