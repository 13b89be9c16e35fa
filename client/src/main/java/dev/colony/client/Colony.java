package dev.colony.client;

import dev.colony.client.internal.ColonyClientImpl;

/** Entry point of the SDK: connects a {@link ColonyClient} to a coordinator. */
public final class Colony {
  private Colony() {}

  /**
   * Connects to the coordinator at {@code target} ({@code host:port}) with the default options: a
   * 10 s session lease and the client name "colony-client".
   *
   * @throws ColonyException with {@code UNAVAILABLE} when the coordinator cannot be reached
   */
  public static ColonyClient connect(String target) {
    return connect(ColonyOptions.newBuilder().setTarget(target).build());
  }

  /**
   * Connects with the given options: opens a session whose lease the client keeps alive until
   * {@link ColonyClient#close()}.
   *
   * @throws ColonyException with {@code UNAVAILABLE} when the coordinator cannot be reached
   */
  public static ColonyClient connect(ColonyOptions options) {
    return ColonyClientImpl.connect(options);
  }
}
