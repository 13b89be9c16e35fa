package dev.colony.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A client's token file: the one line that is neither blank nor a {@code #} comment. */
final class TokenFiles {
  private TokenFiles() {}

  static String read(Path file) {
    List<String> lines;
    try {
      lines =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + file + ": " + e, e);
    }
    if (lines.size() != 1) {
      throw new IllegalArgumentException(
          "the token file "
              + file
              + " must hold exactly one token (a client's own token, not the coordinator's"
              + " role=token file); it holds "
              + lines.size()
              + " lines");
    }
    return lines.get(0);
  }
}
