package dev.colony.cli;

import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectType;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds an object by name without creating it: the SDK's factories get-or-create, which a command
 * that only reads must not do.
 */
final class ObjectLookup {
  private ObjectLookup() {}

  /**
   * The object named {@code name} if the coordinator has one.
   *
   * @throws CommandFailedException if it is not one of {@code types}, or the coordinator cannot be
   *     reached
   */
  static Optional<ObjectInfo> find(ColonyOptions target, String name, ObjectType... types) {
    Set<ObjectType> wanted = EnumSet.of(types[0], types);
    Optional<ObjectInfo> found;
    try (AdminClient admin = new AdminClient(target)) {
      found = admin.object(name);
    }
    if (found.isPresent() && !wanted.contains(found.get().getType())) {
      throw new CommandFailedException(
          ExitCodes.ERROR,
          "'"
              + name
              + "' is a "
              + Formats.type(found.get().getType())
              + ", not a "
              + wanted.stream().map(Formats::type).collect(Collectors.joining(" or ")));
    }
    return found;
  }
}
