package dev.colony.cli;

import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Owner;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How status values read in a terminal. */
final class Formats {
  private Formats() {}

  /** "who" for a holder or waiter: client name, host, pid and thread. */
  static String owner(Owner owner) {
    return owner.getClientName()
        + "@"
        + owner.getHost()
        + " pid "
        + owner.getPid()
        + " thread "
        + owner.getThreadId();
  }

  static String owners(List<Owner> owners) {
    return owners.isEmpty()
        ? "-"
        : owners.stream().map(Formats::owner).collect(Collectors.joining(", "));
  }

  /** QUEUE → queue, COUNT_DOWN_LATCH → count-down-latch. */
  static String type(ObjectType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Milliseconds ago, to a tenth of a second below a minute. */
  static String ago(long millis) {
    return millis < 60_000
        ? String.format(Locale.ROOT, "%.1f s ago", millis / 1000.0)
        : duration(millis) + " ago";
  }

  /** 12897485 → 12.3 MiB: powers of 1024, as the size flags read them. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    String number =
        value == Math.rint(value)
            ? String.valueOf((long) value)
            : String.format(Locale.ROOT, "%.1f", value);
    return number + " " + units[unit];
  }

  /** 3723000 → 1h2m3s. */
  static String duration(long millis) {
    long seconds = millis / 1000;
    long hours = seconds / 3600;
    long minutes = seconds % 3600 / 60;
    long rest = seconds % 60;
    if (hours > 0) {
      return hours + "h" + minutes + "m" + rest + "s";
    }
    return minutes > 0 ? minutes + "m" + rest + "s" : rest + "s";
  }
}
