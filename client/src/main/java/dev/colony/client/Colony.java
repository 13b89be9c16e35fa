package dev.colony.client;

import dev.colony.client.internal.ColonyClientImpl;

/** Entry point of the SDK: connects a {@link ColonyClient} to a coordinator. */
public final class Colony {
  private Colony() {}

  /**
   * Connects to the coordinator the environment names, by the rule the colony commands follow: the
   * {@value ClientConfig#COORDINATOR_ENVIRONMENT_VARIABLE} variable, else {@code coordinator} in
   * the config file ({@code ~/.config/colony/config}, whose token file and TLS settings apply too),
   * else {@value ColonyOptions#DEFAULT_TARGET}. See {@link ClientConfig}.
   *
   * @throws ColonyException with {@code UNAVAILABLE} when the coordinator cannot be reached
   * @throws IllegalArgumentException when the address is not HOST:PORT or the config file is wrong
   */
  public static ColonyClient connect() {
    return connect(ClientConfig.load().newOptionsBuilder().build());
  }

  /**
   * Connects to the coordinator at {@code target} ({@code host:port}) with the default options: a
   * 10 s session lease and the client name "colony-client". The target may list a replicated
   * group's members, comma-separated ({@code h1:7070,h2:7070,h3:7070}): the client talks to the
   * leader and follows it when another member takes over.
   *
   * @throws ColonyException with {@code UNAVAILABLE} when the coordinator cannot be reached
   * @throws IllegalArgumentException when {@code target} is not HOST:PORT (or a list of them), one
   *     line per malformed address
   */
  public static ColonyClient connect(String target) {
    return connect(ColonyOptions.newBuilder().setTarget(target).build());
  }

  /**
   * Connects with the given options: opens a session whose lease the client keeps alive until
   * {@link ColonyClient#close()}. Waits up to {@link ColonyOptions#getConnectTimeout()} (10 s by
   * default) for the coordinator to answer.
   *
   * @throws ColonyException with {@code UNAVAILABLE} when the coordinator cannot be reached
   * @throws IllegalArgumentException when the target is not HOST:PORT (or a list of them)
   */
  public static ColonyClient connect(ColonyOptions options) {
    return ColonyClientImpl.connect(options);
  }
}
