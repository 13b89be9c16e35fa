package dev.colony.cli;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectType;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code colony value get|set|add}: a shared Value from the shell. */
@Command(
    name = "value",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Reads, writes and adds to a shared Value.",
      "A Value's type is fixed when it is created:"
          + " long by default (what the SDK's atomicLong(name) and value(name, Long.class) use),"
          + " or double or string with --type. An SDK client reads what the CLI wrote with the"
          + " same Java type, and the other way round."
    },
    footer = ExitCodes.FOOTER)
final class ValueCommand implements Runnable {
  private static final String TYPE_HELP =
      "long, double or string; must match the Value's type (default: ${DEFAULT-VALUE}).";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command: get, set or add");
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Prints Value NAME; exits with 3 and prints nothing if there is none.",
      footer = ExitCodes.FOOTER)
  int get(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The value's name.") String name,
      @Option(names = "--type", paramLabel = "TYPE", defaultValue = "long", description = TYPE_HELP)
          ItemType type) {
    ColonyOptions target = coordinator.connection();
    if (ObjectLookup.find(target, name, ObjectType.VALUE).isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("no value named '" + name + "'; set one with `colony value set " + name + " N`");
      err.flush();
      return ExitCodes.NOTHING;
    }
    Object value = withTypeHint(target, colony -> colony.value(name, type.javaType()).get());
    return print(value);
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Sets Value NAME to N, creating it (with the type of --type) if missing.",
      footer = ExitCodes.FOOTER)
  int set(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The value's name.") String name,
      @Parameters(index = "1", paramLabel = "N", description = "The new value, read as --type.")
          String text,
      @Option(names = "--type", paramLabel = "TYPE", defaultValue = "long", description = TYPE_HELP)
          ItemType type) {
    Object parsed = type.parse(text);
    withTypeHint(
        coordinator.connection(),
        colony -> {
          colony.value(name, type.javaType()).set(parsed);
          return null;
        });
    return ExitCodes.OK;
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Adds N (default 1, may be negative) to long Value NAME atomically, creating it at 0 if"
              + " missing, and prints the new value (Redis INCRBY, AtomicLong.addAndGet).",
      footer = ExitCodes.FOOTER)
  int add(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The value's name.") String name,
      @Parameters(
              index = "1",
              paramLabel = "N",
              defaultValue = "1",
              arity = "0..1",
              description = "A long to add (default: ${DEFAULT-VALUE}).")
          String text) {
    long delta = ItemType.LONG.<Long>parse(text);
    return print(
        withTypeHint(coordinator.connection(), colony -> colony.atomicLong(name).addAndGet(delta)));
  }

  private int print(Object value) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(value);
    out.flush();
    return ExitCodes.OK;
  }

  /** Runs {@code action} in a session; a type mismatch says which option fixes it. */
  private static <R> R withTypeHint(ColonyOptions target, Function<ColonyClient, R> action) {
    try (ColonyClient colony = Connections.connect(target)) {
      return action.apply(colony);
    } catch (ColonyException | IllegalArgumentException e) {
      // The SDK reports a kind mismatch sent by the coordinator as IllegalArgumentException.
      ColonyException colony =
          e instanceof ColonyException direct
              ? direct
              : e.getCause() instanceof ColonyException cause ? cause : null;
      if (colony != null
          && (colony.reason() == ErrorReason.OPTIONS_CONFLICT
              || colony.reason() == ErrorReason.VALUE_KIND_MISMATCH)) {
        throw new CommandFailedException(
            ExitCodes.ERROR, e.getMessage() + "; pass --type long, double or string to match it");
      }
      throw e;
    }
  }
}
