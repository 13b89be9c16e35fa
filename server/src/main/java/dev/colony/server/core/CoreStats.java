package dev.colony.server.core;

import java.util.List;

/**
 * A snapshot of the coordinator's counts for metrics, read on the apply loop's thread.
 *
 * @param sessions sessions alive
 * @param objects shared objects alive
 * @param waiters calls blocked right now, over every object and task wait
 * @param longestQueues the longest queues, longest first, capped to bound metric cardinality
 * @param tasksQueued tasks waiting for a worker
 * @param tasksRunning tasks on a worker now
 * @param tasksSucceeded tasks that succeeded since start
 * @param tasksFailed tasks that failed or were cancelled since start
 * @param workers connected workers
 * @param deadlocks wait-for cycles that exist now
 * @param deadlocksDetected wait-for cycles found since start
 * @param storedBytes bytes stored in all objects and tasks, as {@link Limits#maxStoredBytes} counts
 * @param retryCacheBytes bytes of past replies in all retry caches, as {@link Limits#maxRetryBytes}
 *     counts
 */
public record CoreStats(
    int sessions,
    int objects,
    int waiters,
    List<QueueDepth> longestQueues,
    long tasksQueued,
    long tasksRunning,
    long tasksSucceeded,
    long tasksFailed,
    int workers,
    int deadlocks,
    long deadlocksDetected,
    long storedBytes,
    long retryCacheBytes) {

  public CoreStats {
    longestQueues = List.copyOf(longestQueues);
  }

  /** Items in one queue. */
  public record QueueDepth(String name, long depth) {}

  public static CoreStats empty() {
    return new CoreStats(0, 0, 0, List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
