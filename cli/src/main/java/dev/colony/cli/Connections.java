package dev.colony.cli;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import java.time.Duration;

/** Opens SDK sessions for the object commands, with the CLI's name and a short connect wait. */
final class Connections {
  private static final String CLIENT_NAME = "colony-cli";

  /**
   * The SDK waits this long for a coordinator that is not up yet; a command typed at a shell should
   * not hang on a wrong address for longer.
   */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  private Connections() {}

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
