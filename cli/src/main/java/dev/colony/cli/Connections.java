package dev.colony.cli;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Opens SDK sessions for the object commands, with the CLI's name and a short connect wait. */
final class Connections {
  private static final String CLIENT_NAME = "colony-cli";

  /**
   * How long a command waits for the coordinator to answer: long enough for one started a moment
   * before in the same script, short enough that a wrong address does not look like a hang. The
   * SDK's default is 10 s.
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private Connections() {}

  /**
   * Waits for {@code channel} to connect, up to {@link #CONNECT_TIMEOUT}.
   *
   * @throws CommandFailedException when it did not
   */
  static void awaitReady(ManagedChannel channel, String target) throws InterruptedException {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    ConnectivityState state = channel.getState(true);
    while (state != ConnectivityState.READY) {
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      long left = deadline - System.nanoTime();
      if (left <= 0 || !changed.await(left, TimeUnit.NANOSECONDS)) {
        throw CommandFailedException.unreachable(target);
      }
      // true: a channel that went idle after a failed attempt tries again.
      state = channel.getState(true);
    }
  }

  /** A session on the coordinator at {@code target}, with the token from the environment. */
  static ColonyClient connect(String target) {
    return connect(ColonyOptions.newBuilder().setTarget(target).build());
  }

  /**
   * A session on the coordinator {@code options} name, with their token and TLS settings.
   *
   * @throws CommandFailedException when the coordinator cannot be reached
   */
  static ColonyClient connect(ColonyOptions options) {
    try {
      return Colony.connect(
          options.toBuilder()
              .setClientName(CLIENT_NAME)
              .setConnectTimeout(CONNECT_TIMEOUT)
              .build());
    } catch (ColonyException e) {
      if (e.code() == ColonyException.Code.UNAVAILABLE
          || e.code() == ColonyException.Code.DEADLINE_EXCEEDED) {
        throw CommandFailedException.unreachable(options.getTarget());
      }
      throw e;
    }
  }
}
