package dev.colony.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectListResponse;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code colony objects}: every shared object with its type and size, from the status call. */
@Command(
    name = "objects",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Lists a coordinator's shared objects by name: type, size, holders and waiters.",
      "Reads only: it creates nothing and opens no session."
    },
    footer = {
      "%nExit codes: 0 done (also when there are none); 1 the coordinator could not be reached or"
          + " refused; 2 bad command line."
    })
final class ObjectsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CoordinatorOption coordinator;

  @Option(
      names = "--json",
      description =
          "Print {\"objects\": [...]} as JSON (proto3 JSON mapping: 64-bit numbers are strings,"
              + " every field is present), sorted by name.")
  boolean json;

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    List<ObjectInfo> objects;
    try (AdminClient admin = new AdminClient(coordinator.connection())) {
      objects =
          admin.status().getObjectsList().stream()
              .sorted(Comparator.comparing(ObjectInfo::getName))
              .toList();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          JsonFormat.printer()
              .alwaysPrintFieldsWithNoPresence()
              .print(ObjectListResponse.newBuilder().addAllObjects(objects)));
    } else if (objects.isEmpty()) {
      out.println("none");
    } else {
      Table table = new Table("NAME", "TYPE", "SIZE", "HOLDERS", "WAITERS");
      for (ObjectInfo o : objects) {
        table.row(
            o.getName(),
            Formats.type(o.getType()),
            o.getSize(),
            Formats.owners(o.getHoldersList()),
            o.getWaiters());
      }
      table.print(out);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
