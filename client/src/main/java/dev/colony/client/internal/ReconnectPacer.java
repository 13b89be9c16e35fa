package dev.colony.client.internal;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a channel's connection attempts to a coordinator that is down at most a second apart.
 * gRPC's own backoff grows to two minutes, so a client or worker whose coordinator was down for a
 * while would notice it was back only long after: past a session's lease or a worker's grace. While
 * the channel fails to connect, this resets gRPC's backoff after its own short delays (100 ms,
 * doubling to 1 s; from the start again after a connection).
 */
public final class ReconnectPacer {
  static final long FIRST_DELAY_MILLIS = 100;
  static final long MAX_DELAY_MILLIS = 1_000;

  private static final ScheduledExecutorService SHARED =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "colony-reconnect-pacer");
            thread.setDaemon(true);
            return thread;
          });

  private final ManagedChannel channel;
  private final ScheduledExecutorService scheduler;
  private final AtomicBoolean pacing = new AtomicBoolean();

  private ReconnectPacer(ManagedChannel channel, ScheduledExecutorService scheduler) {
    this.channel = channel;
    this.scheduler = scheduler;
  }

  /** Paces {@code channel} until it shuts down. */
  public static void pace(ManagedChannel channel) {
    pace(channel, SHARED);
  }

  static void pace(ManagedChannel channel, ScheduledExecutorService scheduler) {
    new ReconnectPacer(channel, scheduler).watch(channel.getState(false));
  }

  private void watch(ConnectivityState seen) {
    if (seen == ConnectivityState.SHUTDOWN) {
      return;
    }
    if (seen == ConnectivityState.TRANSIENT_FAILURE && pacing.compareAndSet(false, true)) {
      tick(FIRST_DELAY_MILLIS);
    }
    channel.notifyWhenStateChanged(seen, () -> watch(channel.getState(false)));
  }

  // The channel reports TRANSIENT_FAILURE until a connection succeeds, however many attempts fail
  // meanwhile, so the pace is kept by the clock while it lasts, not by state changes.
  private void tick(long delayMillis) {
    try {
      scheduler.schedule(
          () -> {
            if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
              channel.resetConnectBackoff();
              tick(Math.min(delayMillis * 2, MAX_DELAY_MILLIS));
            } else {
              pacing.set(false);
              // It may have failed again between the check and the flag: look once more.
              if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE
                  && pacing.compareAndSet(false, true)) {
                tick(FIRST_DELAY_MILLIS);
              }
            }
          },
          delayMillis,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      pacing.set(false);
    }
  }
}
