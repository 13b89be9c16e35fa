package dev.colony.server.core;

import dev.colony.proto.v1.CoordinatorFrame;
import dev.colony.proto.v1.TaskBoardSnapshot;
import dev.colony.proto.v1.WorkerHello;
import dev.colony.proto.v1.WorkerSnapshot;
import dev.colony.proto.v1.WorkerWelcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker daemons connected to the coordinator: joining, coming back after a restart, credits,
 * heartbeats, the round-robin choice of the next worker with a free slot, and leaving. What they
 * run is the {@link TaskBoard}'s business: the roster tells it when a worker is lost.
 */
final class WorkerRoster {
  private static final Logger log = LoggerFactory.getLogger(WorkerRoster.class);

  /** A worker's stream id while it has none (after a restart, until it comes back). */
  static final long DETACHED = 0;

  /** How many heartbeat timeouts workers have to come back after a coordinator restart. */
  static final int RESTART_GRACE_HEARTBEATS = 3;

  /** Told when a worker is gone for good (left, heartbeats stopped, did not come back). */
  interface Departures {
    void lost(WorkerRecord worker, String why, long now);
  }

  private final CoreEnv env;
  private final Timers timers;
  private final Map<String, WorkerRecord> workers = new LinkedHashMap<>();
  private final Map<Long, WorkerRecord> byStream = new HashMap<>();
  private final List<WorkerRecord> rotation = new ArrayList<>();
  private int nextInRotation;
  private long nextWorkerNumber = 1;
  private Departures departures = (worker, why, now) -> {};

  WorkerRoster(CoreEnv env, Timers timers) {
    this.env = env;
    this.timers = timers;
  }

  private long heartbeatTimeoutMillis() {
    return env.limits().workerHeartbeatTimeoutMillis();
  }

  void onDeparture(Departures departures) {
    this.departures = departures;
  }

  /**
   * Whether {@code hello} names as its earlier self a known worker that {@code principal} did not
   * register: whoever learned a worker's id (status shows it) must not take its tasks and results.
   */
  boolean resumesAnothers(WorkerHello hello, String principal) {
    WorkerRecord worker = workers.get(hello.getResumeWorkerId());
    return worker != null && !worker.principal.equals(principal);
  }

  /**
   * The worker that {@code hello} names as its earlier self, if it is still known and the hello
   * comes from the same process; else null.
   */
  WorkerRecord resumable(WorkerHello hello) {
    WorkerRecord worker = workers.get(hello.getResumeWorkerId());
    boolean sameProcess =
        worker != null
            && worker.hello.getHost().equals(hello.getHost())
            && worker.hello.getPid() == hello.getPid();
    return sameProcess ? worker : null;
  }

  /** A new worker joins on {@code streamId}; its welcome goes out there. */
  WorkerRecord join(WorkerHello hello, String principal, long streamId, long now) {
    String id = "worker-" + nextWorkerNumber++;
    WorkerRecord worker = new WorkerRecord(this, id, principal, hello, streamId, now);
    workers.put(id, worker);
    byStream.put(streamId, worker);
    rotation.add(worker);
    timers.schedule(worker, now + heartbeatTimeoutMillis());
    log.info(
        "worker {} joined: {} on {} pid {} with {} slots",
        id,
        hello.getName(),
        hello.getHost(),
        hello.getPid(),
        hello.getSlots());
    welcome(id, streamId);
    return worker;
  }

  /** A worker takes its place again on a new stream, with the tasks it still runs. */
  void resume(WorkerRecord worker, WorkerHello hello, long streamId, long now) {
    if (worker.streamId != DETACHED) {
      byStream.remove(worker.streamId);
      env.outbox().dropWorker(worker.streamId, "the worker joined again on another stream");
    }
    worker.hello = hello;
    worker.streamId = streamId;
    worker.credits = 0; // it sends its free slots after the welcome
    worker.lastSeen = now;
    worker.graceUntil = 0;
    byStream.put(streamId, worker);
    log.info(
        "worker {} is back: {} on {} pid {} with {} tasks running",
        worker.id,
        hello.getName(),
        hello.getHost(),
        hello.getPid(),
        worker.running.size());
    welcome(worker.id, streamId);
  }

  private void welcome(String workerId, long streamId) {
    env.outbox()
        .toWorker(
            streamId,
            CoordinatorFrame.newBuilder()
                .setWelcome(
                    WorkerWelcome.newBuilder()
                        .setWorkerId(workerId)
                        .setHeartbeatIntervalMs(env.limits().workerHeartbeatIntervalMillis())
                        .setHeartbeatTimeoutMs(heartbeatTimeoutMillis()))
                .build());
  }

  /**
   * The coordinator restarted: every worker's stream is gone, but the workers are not. Each keeps
   * its running tasks and may come back (naming its id) within {@link #RESTART_GRACE_HEARTBEATS}
   * heartbeat timeouts, reporting what it finished meanwhile; one that does not is lost then.
   */
  void detachAll(long now) {
    for (WorkerRecord worker : workers.values()) {
      byStream.remove(worker.streamId);
      worker.streamId = DETACHED;
      worker.credits = 0;
      worker.lastSeen = now;
      worker.graceUntil = now + RESTART_GRACE_HEARTBEATS * heartbeatTimeoutMillis();
    }
  }

  /** The worker that joined on {@code streamId}, or null (never joined, or gone). */
  WorkerRecord onStream(long streamId) {
    return byStream.get(streamId);
  }

  /** The worker, now heard from; null if it is unknown. */
  WorkerRecord live(String workerId, long now) {
    WorkerRecord worker = workers.get(workerId);
    if (worker != null) {
      worker.lastSeen = now;
    }
    return worker;
  }

  /**
   * Forgets the worker and ends its stream; returns it, with its tasks still listed, or null if it
   * was already gone.
   */
  WorkerRecord remove(String workerId, String why) {
    WorkerRecord worker = workers.remove(workerId);
    if (worker == null) {
      return null;
    }
    worker.gone = true;
    rotation.remove(worker);
    if (worker.streamId != DETACHED) {
      byStream.remove(worker.streamId);
      env.outbox().dropWorker(worker.streamId, why);
    }
    log.info(
        "worker {} ({} pid {}) left: {}",
        workerId,
        worker.hello.getHost(),
        worker.hello.getPid(),
        why);
    return worker;
  }

  void heartbeatDue(WorkerRecord worker, long now) {
    long due = Math.max(worker.lastSeen + heartbeatTimeoutMillis(), worker.graceUntil);
    if (now < due) {
      timers.schedule(worker, due);
      return;
    }
    String why =
        worker.streamId == DETACHED
            ? "did not come back within " + (now - worker.lastSeen) + " ms of the restart"
            : "no heartbeat for " + (now - worker.lastSeen) + " ms";
    if (remove(worker.id, why) != null) {
      departures.lost(worker, why, now);
    }
  }

  /** The next worker, round robin, with a free slot that takes new tasks; null if none. */
  WorkerRecord nextWithCredit() {
    int n = rotation.size();
    for (int i = 0; i < n; i++) {
      WorkerRecord worker = rotation.get((nextInRotation + i) % n);
      if (worker.credits > 0 && !worker.draining) {
        nextInRotation = (nextInRotation + i + 1) % n;
        return worker;
      }
    }
    return null;
  }

  /**
   * Whether some worker could take queued tasks, now or once a slot frees: connected (not away
   * after a restart) and not draining. Busy workers count; a worker whose allow list refuses a task
   * counts too, since a refusal fails the task at once rather than leaving it queued.
   */
  boolean anyAble() {
    for (WorkerRecord worker : workers.values()) {
      if (worker.streamId != DETACHED && !worker.draining) {
        return true;
      }
    }
    return false;
  }

  /** Why no worker is able (see {@link #anyAble()}), for messages. */
  String whyNoneAble() {
    int draining = 0;
    int away = 0;
    for (WorkerRecord worker : workers.values()) {
      if (worker.streamId == DETACHED) {
        away++;
      } else if (worker.draining) {
        draining++;
      }
    }
    if (draining > 0) {
      return draining == 1
          ? "the only connected worker is draining"
          : "all " + draining + " connected workers are draining";
    }
    if (away > 0) {
      return "no worker has come back since the coordinator restarted";
    }
    return "no worker is connected";
  }

  Collection<WorkerRecord> all() {
    return workers.values();
  }

  int size() {
    return workers.size();
  }

  // ---- snapshots ------------------------------------------------------------------------

  void writeTo(TaskBoardSnapshot.Builder snapshot) {
    snapshot.setNextInRotation(nextInRotation).setNextWorkerNumber(nextWorkerNumber);
    for (WorkerRecord worker : workers.values()) {
      snapshot.addWorkers(
          WorkerSnapshot.newBuilder()
              .setId(worker.id)
              .setHello(worker.hello)
              .setStreamId(worker.streamId)
              .setJoinedAtMs(worker.joinedAt)
              .addAllRunning(worker.running.keySet())
              .setCredits(worker.credits)
              .setDraining(worker.draining)
              .setLastSeenMs(worker.lastSeen)
              .setGraceUntilMs(worker.graceUntil)
              .setPrincipal(worker.principal));
    }
    for (WorkerRecord worker : rotation) {
      snapshot.addRotation(worker.id);
    }
  }

  /** Restores the workers of an empty roster; their running tasks are the board's to restore. */
  void restore(TaskBoardSnapshot snapshot) {
    if (!workers.isEmpty()) {
      throw new IllegalStateException("restore into a roster that has workers");
    }
    for (WorkerSnapshot state : snapshot.getWorkersList()) {
      WorkerRecord worker =
          new WorkerRecord(
              this,
              state.getId(),
              state.getPrincipal(),
              state.getHello(),
              state.getStreamId(),
              state.getJoinedAtMs());
      worker.credits = state.getCredits();
      worker.draining = state.getDraining();
      worker.lastSeen = state.getLastSeenMs();
      worker.graceUntil = state.getGraceUntilMs();
      workers.put(worker.id, worker);
      if (worker.streamId != DETACHED) {
        byStream.put(worker.streamId, worker);
      }
    }
    for (String id : snapshot.getRotationList()) {
      rotation.add(known(id));
    }
    nextInRotation = snapshot.getNextInRotation();
    nextWorkerNumber = snapshot.getNextWorkerNumber();
  }

  /** A worker the roster knows; a snapshot that names another is invalid. */
  WorkerRecord known(String id) {
    WorkerRecord worker = workers.get(id);
    if (worker == null) {
      throw SnapshotReader.invalid("worker " + id + " is referred to but not written");
    }
    return worker;
  }
}
