package dev.colony.cli;

import dev.colony.server.ColonyServer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --coordinator HOST:PORT}, shared by every command that talks to a coordinator. */
final class CoordinatorOption {
  static final String DEFAULT = ColonyServer.DEFAULT_HOST + ":" + ColonyServer.DEFAULT_PORT;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--coordinator",
      paramLabel = "HOST:PORT",
      defaultValue = DEFAULT,
      description = "The coordinator to talk to (default: ${DEFAULT-VALUE}).")
  String target;

  /** The address given, checked for the HOST:PORT shape. */
  String target() {
    if (!target.matches(".+:\\d{1,5}")) {
      throw new ParameterException(
          mixee.commandLine(), "--coordinator must be HOST:PORT, e.g. " + DEFAULT);
    }
    return target;
  }
}
