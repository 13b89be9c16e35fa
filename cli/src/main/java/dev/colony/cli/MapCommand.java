package dev.colony.cli;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.ObjectType;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code colony map get|put|size}: a shared map of strings from the shell. */
@Command(
    name = "map",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Reads and writes a shared map of strings.",
      "Keys and values are strings: what an SDK client sees as colony.map(name, String.class,"
          + " String.class)."
    },
    footer = ExitCodes.FOOTER)
final class MapCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command: get, put or size");
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Prints the value of KEY in map NAME; exits with 3 and prints nothing if none.",
      footer = ExitCodes.FOOTER)
  int get(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The map's name.") String name,
      @Parameters(index = "1", paramLabel = "KEY", description = "A key (a string).") String key) {
    ColonyOptions target = coordinator.connection();
    String value = null;
    if (ObjectLookup.find(target, name, ObjectType.MAP).isPresent()) {
      try (ColonyClient colony = Connections.connect(target)) {
        value = colony.map(name, String.class, String.class).get(key);
      }
    }
    if (value == null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("map '" + name + "' has no key '" + key + "'");
      err.flush();
      return ExitCodes.NOTHING;
    }
    return print(value);
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Sets KEY to VALUE in map NAME, creating the map if missing.",
      footer = ExitCodes.FOOTER)
  int put(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The map's name.") String name,
      @Parameters(index = "1", paramLabel = "KEY", description = "A key (a string).") String key,
      @Parameters(index = "2", paramLabel = "VALUE", description = "A value (a string).")
          String value) {
    try (ColonyClient colony = Connections.connect(coordinator.connection())) {
      colony.map(name, String.class, String.class).put(key, value);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "size",
      mixinStandardHelpOptions = true,
      description = "Prints the number of keys in map NAME (0 if there is no such map).",
      footer = ExitCodes.FOOTER)
  int size(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The map's name.") String name) {
    ColonyOptions target = coordinator.connection();
    int size = 0;
    if (ObjectLookup.find(target, name, ObjectType.MAP).isPresent()) {
      try (ColonyClient colony = Connections.connect(target)) {
        size = colony.map(name, String.class, String.class).size();
      }
    }
    return print(size);
  }

  private int print(Object value) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(value);
    out.flush();
    return ExitCodes.OK;
  }
}
