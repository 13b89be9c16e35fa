package dev.colony.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a durable coordinator's {@code --data-dir} holds, read from outside while the coordinator
 * writes and purges it: the bytes of its files, and the log index of its newest snapshot (Ratis'
 * {@code raft/<group>/sm/snapshot.<term>_<index>}).
 */
final class DataDir {
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

  /** What one look at the directory saw. */
  record Usage(long bytes, int files, OptionalLong snapshotIndex) {}

  private DataDir() {}

  /**
   * The sum of the sizes of the regular files under {@code dir} (0 if it does not exist). Files
   * that vanish during the walk (segments purged, snapshots replaced) are skipped.
   */
  static Usage usage(Path dir) {
    long[] bytes = {0};
    int[] files = {0};
    long[] snapshot = {-1};
    if (!Files.isDirectory(dir)) {
      return new Usage(0, 0, OptionalLong.empty());
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                bytes[0] += attrs.size();
                files[0]++;
                snapshot[0] = Math.max(snapshot[0], snapshotIndex(file.getFileName().toString()));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // Gone since the directory was listed.
            }
          });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + dir, e);
    }
    return new Usage(
        bytes[0], files[0], snapshot[0] < 0 ? OptionalLong.empty() : OptionalLong.of(snapshot[0]));
  }

  /** The log index of a snapshot file's name ({@code snapshot.<term>_<index>}), else -1. */
  static long snapshotIndex(String fileName) {
    Matcher m = SNAPSHOT.matcher(fileName);
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }

  /** Bytes in binary units: {@code 512 B}, {@code 12.0 KiB}, {@code 3.4 MiB}, {@code 1.2 GiB}. */
  static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes / 1024.0;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** Deletes {@code dir} and everything under it, if it exists. */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
