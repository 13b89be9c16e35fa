package dev.colony.cli;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.ObjectType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code colony queue put|get|size}: a shared queue from the shell. */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Puts, takes and counts items of a shared queue.",
      "Items are strings unless --type says otherwise; an SDK client reads them with the same"
          + " Java type (String, Long, Double).",
    },
    footer = ExitCodes.FOOTER)
final class QueueCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command: put, get or size");
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = {
        "Adds VALUE at the tail of queue NAME (created as a FIFO queue if missing).",
        "VALUE is taken literally: '@notes.txt' is the text '@notes.txt'. To put a file's"
            + " content, say so with --value-file."
      },
      footer = ExitCodes.FOOTER)
  int put(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The queue's name.") String name,
      @Parameters(
              index = "1",
              arity = "0..1",
              paramLabel = "VALUE",
              description = "The item, read as --type.")
          String value,
      @Option(
              names = "--value-file",
              paramLabel = "FILE",
              description = "Put the content of FILE (UTF-8) instead of a VALUE.")
          Path valueFile,
      @Option(
              names = "--type",
              paramLabel = "TYPE",
              defaultValue = "string",
              description = "string, long or double (default: ${DEFAULT-VALUE}).")
          ItemType type)
      throws InterruptedException {
    String text = itemText(value, valueFile);
    try (ColonyClient colony = Connections.connect(coordinator.connection())) {
      colony.queue(name, type.javaType()).put(type.parse(text));
    }
    return ExitCodes.OK;
  }

  /** Exactly one of VALUE and --value-file. */
  private String itemText(String value, Path valueFile) {
    if ((value == null) == (valueFile == null)) {
      throw new ParameterException(
          spec.commandLine(),
          value == null
              ? "Missing the item: give a VALUE or --value-file FILE"
              : "Give a VALUE or --value-file FILE, not both");
    }
    if (value != null) {
      return value;
    }
    try {
      return Files.readString(valueFile);
    } catch (IOException e) {
      throw new CommandFailedException(
          ExitCodes.ERROR, "cannot read --value-file " + valueFile + ": " + e);
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = {
        "Takes the item at the head of queue NAME and prints it.",
        "An empty queue prints nothing and exits with 3, so `while item=$(colony queue get q);"
            + " do ...; done` stops when the queue is drained. An item of another type than"
            + " --type stays in the queue and the command fails."
      },
      footer = ExitCodes.FOOTER)
  int get(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The queue's name.") String name,
      @Option(
              names = "--timeout",
              paramLabel = "DURATION",
              defaultValue = "0",
              converter = DurationConverter.class,
              description =
                  "How long to wait for an item, e.g. 500ms, 30s (default: ${DEFAULT-VALUE},"
                      + " don't wait).")
          Duration timeout,
      @Option(
              names = "--type",
              paramLabel = "TYPE",
              defaultValue = "string",
              description = "string, long or double (default: ${DEFAULT-VALUE}).")
          ItemType type)
      throws InterruptedException {
    ColonyOptions target = coordinator.connection();
    if (timeout.isZero() && ObjectLookup.find(target, name, ObjectType.QUEUE).isEmpty()) {
      // Nothing to take, and a read must not create the queue.
      return empty(name, timeout);
    }
    Object item;
    try (ColonyClient colony = Connections.connect(target)) {
      item = colony.queue(name, type.javaType()).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ColonyException e) {
      if (e.code() != ColonyException.Code.INVALID_ARGUMENT) {
        throw e;
      }
      // The SDK gave the item back when it could not decode it as the type asked for.
      throw new CommandFailedException(
          ExitCodes.ERROR,
          e.getMessage()
              + "; the item stays at the head of the queue: pass --type long, double or string");
    }
    if (item == null) {
      return empty(name, timeout);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(item);
    out.flush();
    return ExitCodes.OK;
  }

  private int empty(String name, Duration timeout) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        timeout.isZero()
            ? "queue '" + name + "' is empty"
            : "queue '" + name + "': nothing arrived within " + timeout.toMillis() + " ms");
    err.flush();
    return ExitCodes.NOTHING;
  }

  @Command(
      name = "size",
      mixinStandardHelpOptions = true,
      description = "Prints the number of items in queue NAME (0 if there is no such queue).",
      footer = ExitCodes.FOOTER)
  int size(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The queue's name.")
          String name) {
    ColonyOptions target = coordinator.connection();
    long size = 0;
    if (ObjectLookup.find(target, name, ObjectType.QUEUE).isPresent()) {
      try (ColonyClient colony = Connections.connect(target)) {
        // Size reads no item, so any item type will do.
        size = colony.queue(name, String.class).size();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(size);
    out.flush();
    return ExitCodes.OK;
  }
}
