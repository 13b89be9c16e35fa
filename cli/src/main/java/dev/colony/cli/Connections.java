package dev.colony.cli;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import java.time.Duration;

/** Opens SDK sessions for the object commands, with the CLI's name and a short connect wait. */
final class Connections {
  private static final String CLIENT_NAME = "colony-cli";

  private Connections() {}

  /**
   * A session on the coordinator at {@code target}.
   *
   * @throws CommandFailedException when the coordinator cannot be reached
   */
  static ColonyClient connect(String target) {
    try {
      return Colony.connect(
          ColonyOptions.newBuilder()
              .setTarget(target)
              .setClientName(CLIENT_NAME)
              .setConnectTimeout(Duration.ofSeconds(5))
              .build());
    } catch (ColonyException e) {
      if (e.code() == ColonyException.Code.UNAVAILABLE
          || e.code() == ColonyException.Code.DEADLINE_EXCEEDED) {
        throw CommandFailedException.unreachable(target);
      }
      throw e;
    }
  }
}
