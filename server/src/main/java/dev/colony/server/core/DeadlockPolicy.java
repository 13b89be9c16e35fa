package dev.colony.server.core;

/** What the coordinator does when a lock or semaphore wait closes a wait-for cycle. */
public enum DeadlockPolicy {
  /** Log the cycle, list it in status and count it; every waiter keeps waiting. */
  REPORT,
  /**
   * As REPORT, and the newest wait of the cycle (the one that closed it) fails at once with
   * FAILED_PRECONDITION / DEADLOCK, which breaks the cycle.
   */
  FAIL
}
