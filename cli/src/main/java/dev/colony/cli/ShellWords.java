package dev.colony.cli;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quoting for POSIX sh, so that what a remote script is given stays one word, whatever it holds.
 */
final class ShellWords {
  private ShellWords() {}

  /** {@code word} in single quotes, each ' in it written as '\''. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Each of {@code words} quoted, joined by spaces. */
  static String quote(List<String> words) {
    return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
  }
}
