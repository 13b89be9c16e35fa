package dev.colony.client.internal;

import dev.colony.client.ColonyException;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.NoWorkerWarning;
import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.TaskCancelRequest;
import dev.colony.proto.v1.TaskInfoRequest;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.TaskSpec;
import dev.colony.proto.v1.TaskSubmitRequest;
import dev.colony.proto.v1.TaskWaitRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;

/**
 * The tasks a client submitted and has not collected, shared by its pools and processes. One
 * collector thread loops on TaskWait(mine, forget): the coordinator keeps each session's finished
 * tasks and answers the wait as soon as one finishes, with every one finished by then, so results
 * come back in batches under load and at once when idle, and a wait costs the same however many
 * tasks are in flight. An idle wait parks for {@link #FULL_WAIT_MILLIS}, so that a reply comes now
 * and then to carry the coordinator's warning about tasks no worker can run.
 */
final class TaskTracker implements AutoCloseable {
  private static final Logger log = Loggers.get(TaskTracker.class);

  private static final long RETRY_MILLIS = 200;

  /** How long a wait may park; bounds how late a no-worker warning is. */
  static final long FULL_WAIT_MILLIS = 5_000;

  /** Told when its task was registered and, exactly once, how it ended. */
  interface Listener {
    /** Called under the tracker's lock before the task can finish: keep it short. */
    default void submitted(long taskId) {}

    /** Called on the collector thread (or the closing thread with a synthetic outcome). */
    void finished(TaskOutcome outcome);

    /** The tracker can no longer follow the task (client closed, session lost). */
    void lost(RuntimeException why);

    /**
     * The task has waited queued past the coordinator's warning threshold with no worker able to
     * run it; called on the collector thread, maybe more than once.
     */
    default void noWorker(NoWorkerWarning warning) {}
  }

  private final Calls calls;
  private final Object lock = new Object();
  // Guarded by lock, in submission order.
  private final LinkedHashMap<Long, Listener> inFlight = new LinkedHashMap<>();
  // Guarded by lock: outcomes that came before their TaskSubmit reply was registered (a wait
  // returns any finished task of the session, and a short task can finish that fast).
  private final Map<Long, TaskOutcome> early = new HashMap<>();
  private Thread collector;
  private boolean closed;

  /** Uploads the code pools and processes ship. */
  final CodeShipper code;

  TaskTracker(Calls calls) {
    this.calls = calls;
    this.code = new CodeShipper(calls);
  }

  private boolean reuploadCode(List<TaskSpec> specs) {
    boolean any = false;
    for (String hash : specs.stream().map(TaskSpec::getCodeSha256).distinct().toList()) {
      if (!hash.isEmpty()) {
        any |= code.reupload(hash);
      }
    }
    return any;
  }

  /**
   * Submits {@code specs} in one TaskSubmit call and follows them; {@code listeners.get(i)} hears
   * about {@code specs.get(i)}.
   *
   * @throws RuntimeException the mapped coordinator failure; then nothing was submitted
   */
  List<Long> submit(List<TaskSpec> specs, List<? extends Listener> listeners) {
    Reply reply;
    try {
      reply =
          calls.run(
              Call.newBuilder().setTaskSubmit(TaskSubmitRequest.newBuilder().addAllTasks(specs)));
    } catch (ColonyException e) {
      // A coordinator whose state was reset has lost the shipped jars: upload them again, once.
      if (e.reason() != ErrorReason.CODE_NOT_FOUND || !reuploadCode(specs)) {
        throw e;
      }
      reply =
          calls.run(
              Call.newBuilder().setTaskSubmit(TaskSubmitRequest.newBuilder().addAllTasks(specs)));
    }
    List<Long> ids = reply.getTaskSubmit().getTaskIdsList();
    if (ids.size() != specs.size()) {
      throw new ColonyException(
          ColonyException.Code.INTERNAL,
          ErrorReason.ERROR_REASON_UNSPECIFIED,
          "the coordinator returned " + ids.size() + " task ids for " + specs.size() + " tasks");
    }
    RuntimeException lostBecause = null;
    List<TaskOutcome> finishedAlready = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        lostBecause = ColonyErrors.unavailable("the Colony client is closed");
      } else {
        for (int i = 0; i < ids.size(); i++) {
          Listener listener = listeners.get(i);
          listener.submitted(ids.get(i));
          inFlight.put(ids.get(i), listener);
          TaskOutcome outcome = early.remove(ids.get(i));
          if (outcome != null) {
            finishedAlready.add(outcome);
          }
        }
        if (collector == null) {
          collector = new Thread(this::collect, "colony-task-collector");
          collector.setDaemon(true);
          collector.start();
        }
        lock.notifyAll();
      }
    }
    if (lostBecause != null) {
      for (Listener listener : listeners) {
        listener.lost(lostBecause);
      }
      return ids;
    }
    deliver(finishedAlready);
    return ids;
  }

  /** Cancels tasks; their CANCELLED outcomes come through the listeners. */
  int cancel(Collection<Long> taskIds) {
    if (taskIds.isEmpty()) {
      return 0;
    }
    Reply reply =
        calls.run(
            Call.newBuilder().setTaskCancel(TaskCancelRequest.newBuilder().addAllTaskIds(taskIds)));
    return reply.getTaskCancel().getCancelled();
  }

  /** The task as the coordinator sees it now; null once its outcome was collected. */
  TaskOutcome info(long taskId) {
    Reply reply =
        calls.runRaw(Call.newBuilder().setTaskInfo(TaskInfoRequest.newBuilder().setTaskId(taskId)));
    if (reply.hasFailure()) {
      if (reply.getFailure().getReason() == ErrorReason.TASK_NOT_FOUND) {
        return null;
      }
      throw ColonyErrors.toUnchecked(reply.getFailure());
    }
    return reply.getTaskInfo().getTask();
  }

  private void collect() {
    while (true) {
      synchronized (lock) {
        while (!closed && inFlight.isEmpty()) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return; // only close() interrupts
          }
        }
        if (closed) {
          return;
        }
      }
      TaskWaitRequest.Builder wait =
          TaskWaitRequest.newBuilder().setMine(true).setForget(true).setTimeoutMs(FULL_WAIT_MILLIS);
      Reply reply;
      try {
        reply = calls.call(Call.newBuilder().setTaskWait(wait)).get();
      } catch (InterruptedException e) {
        return;
      } catch (ExecutionException e) {
        if (!onTransportFailure(ColonyErrors.unwrap(e))) {
          return;
        }
        continue;
      }
      if (reply.hasFailure()) {
        if (!onWaitFailure(reply)) {
          return;
        }
        continue;
      }
      if (reply.getTaskWait().hasNoWorker()) {
        warnNoWorker(reply.getTaskWait().getNoWorker());
      }
      deliver(reply.getTaskWait().getOutcomesList());
    }
  }

  private void warnNoWorker(NoWorkerWarning warning) {
    List<Listener> listeners = new ArrayList<>(warning.getTaskIdsCount());
    synchronized (lock) {
      for (long id : warning.getTaskIdsList()) {
        Listener listener = inFlight.get(id);
        if (listener != null) {
          listeners.add(listener);
        }
      }
    }
    for (Listener listener : listeners) {
      try {
        listener.noWorker(warning);
      } catch (RuntimeException e) {
        log.error("a task listener failed on a no-worker warning", e);
      }
    }
  }

  private void deliver(List<TaskOutcome> outcomes) {
    List<Listener> listeners = new ArrayList<>(outcomes.size());
    synchronized (lock) {
      for (TaskOutcome outcome : outcomes) {
        Listener listener = inFlight.remove(outcome.getTaskId());
        if (listener == null && !closed) {
          early.put(outcome.getTaskId(), outcome); // its submit() registers it in a moment
        }
        listeners.add(listener);
      }
    }
    for (int i = 0; i < outcomes.size(); i++) {
      Listener listener = listeners.get(i);
      if (listener == null) {
        continue;
      }
      try {
        listener.finished(outcomes.get(i));
      } catch (RuntimeException e) {
        log.error("a task listener failed on task {}", outcomes.get(i).getTaskId(), e);
      }
    }
  }

  /**
   * @return whether to keep collecting
   */
  private boolean onWaitFailure(Reply reply) {
    RuntimeException failure = ColonyErrors.toUnchecked(reply.getFailure());
    ColonyException.Code code = ColonyException.Code.forNumber(reply.getFailure().getCode());
    if (code == ColonyException.Code.INVALID_ARGUMENT
        || code == ColonyException.Code.UNIMPLEMENTED) {
      // A coordinator that cannot answer this wait never will: stop following the tasks rather
      // than repeat the same failing call.
      log.warn("waiting for tasks failed: {}", failure.getMessage());
      List<Long> all;
      synchronized (lock) {
        all = new ArrayList<>(inFlight.keySet());
      }
      loseAll(all, failure);
      return true;
    }
    // E.g. too many blocked calls on the session right now: try again shortly.
    log.debug("waiting for tasks failed, retrying: {}", failure.getMessage());
    synchronized (lock) {
      try {
        lock.wait(RETRY_MILLIS);
      } catch (InterruptedException e) {
        return false;
      }
      return !closed;
    }
  }

  /**
   * @return whether to keep collecting
   */
  private boolean onTransportFailure(RuntimeException failure) {
    synchronized (lock) {
      if (closed) {
        return false;
      }
    }
    boolean dead =
        failure instanceof ColonyException ce && ce.reason() == ErrorReason.SESSION_NOT_FOUND;
    if (dead) {
      List<Long> all;
      synchronized (lock) {
        all = new ArrayList<>(inFlight.keySet());
      }
      loseAll(all, failure);
      return true;
    }
    // The stream is being re-attached; the session and its tasks are still there.
    synchronized (lock) {
      try {
        lock.wait(RETRY_MILLIS);
      } catch (InterruptedException e) {
        return false;
      }
      return !closed;
    }
  }

  private void loseAll(Collection<Long> ids, RuntimeException why) {
    List<Listener> lost = new ArrayList<>(ids.size());
    synchronized (lock) {
      for (Long id : ids) {
        Listener listener = inFlight.remove(id);
        if (listener != null) {
          lost.add(listener);
        }
      }
    }
    for (Listener listener : lost) {
      listener.lost(why);
    }
  }

  /** Stops following tasks: their listeners are told the client closed. Idempotent. */
  @Override
  public void close() {
    List<Listener> lost;
    Thread thread;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lost = new ArrayList<>(inFlight.values());
      inFlight.clear();
      early.clear();
      thread = collector;
      lock.notifyAll();
    }
    if (thread != null) {
      thread.interrupt();
    }
    RuntimeException why = ColonyErrors.unavailable("the Colony client is closed");
    for (Listener listener : lost) {
      listener.lost(why);
    }
  }

  int inFlight() {
    synchronized (lock) {
      return inFlight.size();
    }
  }
}
