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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;

/**
 * The tasks a client submitted and has not collected, shared by its pools and processes. One
 * collector thread loops on TaskWait(any, forget) over the oldest unfinished tasks, so every wait
 * returns all of them that finished since the last one: results come back in batches, not one round
 * trip per task.
 *
 * <p>The coordinator scans every listed id on each wait, so the list is kept short: about twice the
 * results the last wait brought (between {@link #MIN_WAIT_IDS} and {@link #MAX_WAIT_IDS}). That is
 * enough because the coordinator dispatches FIFO, so the tasks that can finish next are the oldest
 * ones. A wait that does not list every task has a short timeout, so a result outside the list is
 * still collected when the listed tasks run long; a wait that brought nothing doubles the list, and
 * at full length moves on to the next slice. A wait that lists every task is withdrawn and reissued
 * when new tasks arrive, and otherwise parks for {@link #FULL_WAIT_MILLIS}, so that a reply comes
 * now and then to carry the coordinator's warning about tasks no worker can run.
 */
final class TaskTracker implements AutoCloseable {
  private static final Logger log = Loggers.get(TaskTracker.class);
  static final int MIN_WAIT_IDS = 64;
  static final int MAX_WAIT_IDS = 1024;

  /**
   * Keeps a wait's reply well under gRPC's default 4 MiB message limit: chunked tasks carry many
   * results each, so the list is shortened by the size of the outcomes seen so far.
   */
  static final int MAX_REPLY_BYTES = 2 << 20;

  /** How long a wait that does not list every task may park. */
  static final long PARTIAL_WAIT_MILLIS = 10;

  private static final long RETRY_MILLIS = 200;

  /** How long a wait that lists every task may park; bounds how late a no-worker warning is. */
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
  private Thread collector;
  private boolean closed;
  private boolean waiting;
  private boolean waitCoversAll;
  private long waitCallId;
  private boolean stale;

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
    long cancel = 0;
    RuntimeException lostBecause = null;
    synchronized (lock) {
      if (closed) {
        lostBecause = ColonyErrors.unavailable("the Colony client is closed");
      } else {
        for (int i = 0; i < ids.size(); i++) {
          Listener listener = listeners.get(i);
          listener.submitted(ids.get(i));
          inFlight.put(ids.get(i), listener);
        }
        if (collector == null) {
          collector = new Thread(this::collect, "colony-task-collector");
          collector.setDaemon(true);
          collector.start();
        }
        lock.notifyAll();
        if (waiting && waitCoversAll && !stale) {
          stale = true;
          cancel = waitCallId;
        }
      }
    }
    if (lostBecause != null) {
      for (Listener listener : listeners) {
        listener.lost(lostBecause);
      }
      return ids;
    }
    if (cancel != 0) {
      calls.session().cancel(cancel);
    }
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
    int listSize = MIN_WAIT_IDS;
    int maxListSize = MAX_WAIT_IDS;
    int offset = 0;
    while (true) {
      TaskWaitRequest.Builder wait = TaskWaitRequest.newBuilder().setAll(false).setForget(true);
      int listed;
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
        int total = inFlight.size();
        if (offset >= total) {
          offset = 0;
        }
        Iterator<Long> ids = inFlight.keySet().iterator();
        for (int skip = 0; skip < offset; skip++) {
          ids.next();
        }
        while (ids.hasNext() && wait.getTaskIdsCount() < listSize) {
          wait.addTaskIds(ids.next());
        }
        listed = wait.getTaskIdsCount();
        waitCoversAll = listed == total;
        wait.setTimeoutMs(waitCoversAll ? FULL_WAIT_MILLIS : PARTIAL_WAIT_MILLIS);
        waiting = true;
        waitCallId = 0;
        stale = false;
      }
      Call.Builder call = Call.newBuilder().setTaskWait(wait);
      CompletableFuture<Reply> future = calls.call(call);
      boolean cancelNow;
      synchronized (lock) {
        waitCallId = call.getId();
        cancelNow = stale;
      }
      if (cancelNow) {
        calls.session().cancel(call.getId());
      }
      Reply reply;
      try {
        reply = future.get();
      } catch (InterruptedException e) {
        return;
      } catch (ExecutionException e) {
        if (!onTransportFailure(ColonyErrors.unwrap(e))) {
          return;
        }
        continue;
      } finally {
        synchronized (lock) {
          waiting = false;
        }
      }
      if (reply.hasFailure()) {
        onWaitFailure(reply, wait.getTaskIdsList());
        continue;
      }
      int collected = reply.getTaskWait().getOutcomesCount();
      if (collected > 0) {
        int outcomeBytes = Math.max(1, reply.getTaskWait().getSerializedSize() / collected);
        maxListSize = Math.max(1, Math.min(MAX_WAIT_IDS, MAX_REPLY_BYTES / outcomeBytes));
        listSize =
            Math.min(maxListSize, Math.max(MIN_WAIT_IDS, Math.min(MAX_WAIT_IDS, 2 * collected)));
        offset = 0;
      } else if (listSize < maxListSize) {
        listSize = Math.min(maxListSize, 2 * listSize);
      } else {
        offset += listed; // the oldest tasks run long: look further down the line
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
        listeners.add(inFlight.remove(outcome.getTaskId()));
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

  private void onWaitFailure(Reply reply, List<Long> ids) {
    RuntimeException failure = ColonyErrors.toUnchecked(reply.getFailure());
    if (reply.getFailure().getReason() == ErrorReason.CANCELLED
        || reply.getFailure().getCode() == ColonyException.Code.CANCELLED.value()) {
      return; // withdrawn to take in new tasks
    }
    // The coordinator no longer knows some listed task: stop following all of them, or the same
    // failing wait would repeat forever.
    log.warn("waiting for {} tasks failed: {}", ids.size(), failure.getMessage());
    loseAll(ids, failure);
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
