package dev.colony.server;

import dev.colony.server.core.CoordinatorCore;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The core's real alarm: one daemon thread, "colony-timer", that calls the core's tick at the
 * earliest deadline. Only the latest request is kept: the core always asks for its earliest pending
 * deadline, and the tick re-arms for the next one, so an earlier scheduled wake-up is redundant.
 */
final class TimerAlarm implements CoordinatorCore.Alarm, AutoCloseable {
  private final ScheduledThreadPoolExecutor timer =
      new ScheduledThreadPoolExecutor(
          1,
          task -> {
            Thread thread = new Thread(task, "colony-timer");
            thread.setDaemon(true);
            return thread;
          });
  private ScheduledFuture<?> pending;

  TimerAlarm() {
    // Replaced wake-ups leave the queue at once instead of lingering until their deadline.
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public synchronized void wakeAt(long deadlineMillis, long nowMillis, Runnable tick) {
    if (timer.isShutdown()) {
      return;
    }
    if (pending != null) {
      pending.cancel(false);
    }
    long delay = Math.max(0, deadlineMillis - nowMillis);
    pending = timer.schedule(tick, delay, TimeUnit.MILLISECONDS);
  }

  /** Wake-ups scheduled and not yet run, for tests. */
  int pendingWakeUps() {
    return timer.getQueue().size();
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
  }
}
