package dev.colony.server.core;

import dev.colony.proto.v1.Deadlock;
import dev.colony.proto.v1.DeadlockCycleSnapshot;
import dev.colony.proto.v1.DeadlockEdge;
import dev.colony.proto.v1.DeadlockEdgeSnapshot;
import dev.colony.proto.v1.DeadlockSnapshot;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds wait-for cycles among owners (session, thread) blocked on locks and semaphores. The graph
 * is never stored: its edges are read from the objects when a wait starts (owner → the holders of
 * what it waits for → what those holders wait for, through their sessions' pending calls). So
 * nothing is spent unless a lock or semaphore call actually parks, and a search only walks the
 * owners reachable from the new waiter.
 *
 * <p>A cycle can only close when a wait starts, so searching from each new waiter finds every cycle
 * when it forms. Cycles found are kept until one of their waits ends or a holder changes; that is
 * checked when they are read ({@link #current}), which is cheaper than watching every release.
 */
final class DeadlockDetector {
  private static final Logger log = LoggerFactory.getLogger(DeadlockDetector.class);

  private final Settings settings;
  private final List<Cycle> cycles = new ArrayList<>();
  private long detected;

  DeadlockDetector(Settings settings) {
    this.settings = settings;
  }

  /** One edge: {@code waiter} is blocked acquiring {@code object}, which {@code holder} holds. */
  record Edge(Waiter waiter, Acquirable object, OwnerKey holder) {
    OwnerKey waiterKey() {
      return new OwnerKey(waiter.session(), waiter.ownerThread());
    }

    boolean isLive() {
      return waiter.isWaiting()
          && waiter.acquiring() == object
          && object.holders().contains(holder);
    }
  }

  /** A cycle of edges; each edge's holder is the next edge's waiter, the last's is the first's. */
  record Cycle(List<Edge> edges, long detectedAt) {
    boolean isLive() {
      for (Edge edge : edges) {
        if (!edge.isLive()) {
          return false;
        }
      }
      return true;
    }

    /**
     * "session A (...) holds 'a' and waits for 'b'; session B (...) holds 'b' and waits for 'a'".
     */
    String describe() {
      StringBuilder text = new StringBuilder();
      int n = edges.size();
      for (int i = 0; i < n; i++) {
        Edge edge = edges.get(i);
        Edge previous = edges.get((i + n - 1) % n);
        if (i > 0) {
          text.append("; ");
        }
        text.append(edge.waiterKey().describe())
            .append(" holds '")
            .append(previous.object().name())
            .append("' and waits for '")
            .append(edge.object().name())
            .append("'");
      }
      return text.toString();
    }

    Deadlock toProto(long now) {
      Deadlock.Builder proto = Deadlock.newBuilder().setDetectedMsAgo(now - detectedAt);
      for (Edge edge : edges) {
        proto.addEdges(
            DeadlockEdge.newBuilder()
                .setWaiter(edge.waiterKey().toOwner())
                .setObject(edge.object().name())
                .setObjectType(edge.object().type())
                .setHolder(edge.holder().toOwner()));
      }
      return proto.build();
    }
  }

  /**
   * {@code waiter} has just started waiting for {@code waiter.acquiring()}. If that closes a cycle
   * it is logged and kept, or, under {@link DeadlockPolicy#FAIL}, {@code waiter} fails at once.
   */
  void onBlocked(Waiter waiter, long now) {
    List<Edge> edges = findCycle(waiter);
    if (edges == null) {
      return;
    }
    detected++;
    Cycle cycle = new Cycle(edges, now);
    String description = cycle.describe();
    if (settings.options().deadlockPolicy() == DeadlockPolicy.FAIL) {
      log.warn("deadlock: {}; failing the newest wait (--deadlock=fail)", description);
      waiter.cancel(
          CoreException.precondition(
              ErrorReason.DEADLOCK,
              "deadlock: "
                  + description
                  + ". This call was the newest wait of the cycle and was refused so that the"
                  + " others can go on (the coordinator runs with --deadlock=fail)."));
      return;
    }
    log.warn("deadlock: {}", description);
    cycles.removeIf(existing -> !existing.isLive());
    cycles.add(cycle);
  }

  /** The cycles that still exist; those with an ended wait or a changed holder are forgotten. */
  List<Cycle> current() {
    cycles.removeIf(cycle -> !cycle.isLive());
    return cycles;
  }

  /** Cycles found since start (under FAIL, each broken at once). */
  long detectedCount() {
    return detected;
  }

  // ---- snapshots ------------------------------------------------------------------------

  /**
   * The count and the kept cycles that may still exist. A cycle with a wait that ended, a holder
   * whose session ended or an object that was deleted can never exist again (a wait never resumes,
   * an ended session holds nothing, a deleted object has no holders), so it is left out: {@link
   * #current} would drop it unseen. Whether the others exist is checked when they are read, as
   * before.
   */
  DeadlockSnapshot toSnapshot(SnapshotWriter writer) {
    DeadlockSnapshot.Builder snapshot = DeadlockSnapshot.newBuilder().setDetected(detected);
    for (Cycle cycle : cycles) {
      if (!mayExist(cycle, writer)) {
        continue;
      }
      DeadlockCycleSnapshot.Builder kept =
          DeadlockCycleSnapshot.newBuilder().setDetectedAtMs(cycle.detectedAt());
      for (Edge edge : cycle.edges()) {
        kept.addEdges(
            DeadlockEdgeSnapshot.newBuilder()
                .setWaiter(writer.ref(edge.waiter()))
                .setObject(edge.object().name())
                .setHolderSessionId(writer.sessionId(edge.holder().session()))
                .setHolderThread(edge.holder().thread()));
      }
      snapshot.addCycles(kept);
    }
    return snapshot.build();
  }

  private static boolean mayExist(Cycle cycle, SnapshotWriter writer) {
    for (Edge edge : cycle.edges()) {
      if (!edge.waiter().isWaiting()
          || !writer.isOpen(edge.holder().session())
          || !(edge.object() instanceof SharedObject object)
          || !writer.isRegistered(object)) {
        return false;
      }
    }
    return true;
  }

  void restore(DeadlockSnapshot snapshot, SnapshotReader reader, ObjectRegistry objects) {
    detected = snapshot.getDetected();
    cycles.clear();
    for (DeadlockCycleSnapshot kept : snapshot.getCyclesList()) {
      List<Edge> edges = new ArrayList<>(kept.getEdgesCount());
      for (DeadlockEdgeSnapshot edge : kept.getEdgesList()) {
        if (!(objects.find(edge.getObject()) instanceof Acquirable object)) {
          throw SnapshotReader.invalid(
              "a deadlock waits for " + edge.getObject() + ", which is no lock or semaphore");
        }
        edges.add(
            new Edge(
                reader.waiter(edge.getWaiter(), Waiter.class),
                object,
                new OwnerKey(reader.session(edge.getHolderSessionId()), edge.getHolderThread())));
      }
      cycles.add(new Cycle(List.copyOf(edges), kept.getDetectedAtMs()));
    }
  }

  /**
   * Depth-first search from {@code start} back to its own owner, iterative so that a long chain of
   * waits cannot overflow the stack. Returns the cycle's edges starting with {@code start}'s, or
   * null.
   */
  private static List<Edge> findCycle(Waiter start) {
    OwnerKey origin = new OwnerKey(start.session(), start.ownerThread());
    Set<OwnerKey> visited = new HashSet<>();
    visited.add(origin);
    Deque<Iterator<Edge>> frames = new ArrayDeque<>();
    Deque<Edge> path = new ArrayDeque<>();
    frames.push(edgesOf(List.of(start)).iterator());
    while (!frames.isEmpty()) {
      Iterator<Edge> frame = frames.peek();
      if (!frame.hasNext()) {
        frames.pop();
        if (!path.isEmpty()) {
          path.removeLast();
        }
        continue;
      }
      Edge edge = frame.next();
      if (edge.holder().equals(origin)) {
        path.addLast(edge);
        if (isDeadlock(path)) {
          return new ArrayList<>(path);
        }
        path.removeLast();
      } else if (visited.add(edge.holder())) {
        path.addLast(edge);
        frames.push(edgesOf(waitsOf(edge.holder())).iterator());
      }
    }
    return null;
  }

  /**
   * Anyone may release a semaphore, and a semaphore used as a signal has consumers that "hold" the
   * permits they took while waiting for more; so waits on one semaphore alone are not a deadlock. A
   * cycle through a lock, or through two or more objects, is.
   */
  private static boolean isDeadlock(Deque<Edge> path) {
    Acquirable first = path.peekFirst().object();
    if (first.type() != ObjectType.SEMAPHORE && first.type() != ObjectType.BOUNDED_SEMAPHORE) {
      return true;
    }
    for (Edge edge : path) {
      if (edge.object() != first) {
        return true;
      }
    }
    return false;
  }

  private static List<Edge> edgesOf(List<Waiter> waits) {
    List<Edge> edges = new ArrayList<>();
    for (Waiter wait : waits) {
      Acquirable object = wait.acquiring();
      for (OwnerKey holder : object.holders()) {
        edges.add(new Edge(wait, object, holder));
      }
    }
    return edges;
  }

  /** The lock and semaphore waits of {@code owner} right now. */
  private static List<Waiter> waitsOf(OwnerKey owner) {
    List<Waiter> waits = new ArrayList<>(1);
    for (Waiter waiter : owner.session().pending.values()) {
      if (waiter.ownerThread() == owner.thread()
          && waiter.isWaiting()
          && waiter.acquiring() != null) {
        waits.add(waiter);
      }
    }
    return waits;
  }
}
