package dev.colony.client.internal;

import java.util.Objects;

/**
 * Checks the text the SDK sends as a name before it is encoded. A lone surrogate has no UTF-8 form:
 * protobuf would send it as '?', so {@code "a\uD800b"} and {@code "a\uDFFFb"} would silently name
 * the same object {@code "a?b"}. The coordinator checks names too; this check is the one that sees
 * them before the encoding.
 */
final class Names {
  private Names() {}

  /**
   * Returns {@code text} if it is valid UTF-16.
   *
   * @param what what the text is, for the message ("object name", "task name")
   * @throws IllegalArgumentException naming the lone surrogate and where it is
   * @throws NullPointerException if {@code text} is null
   */
  static String requireValid(String what, String text) {
    Objects.requireNonNull(text, what);
    int lone = loneSurrogate(text);
    if (lone >= 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s must be valid UTF-16; %s has a lone surrogate U+%04X at index %d (surrogates"
                  + " come in high-low pairs; alone, it would reach the coordinator as '?')",
              what, escaped(text), (int) text.charAt(lone), lone));
    }
    return text;
  }

  /** The index of the first surrogate that is not half of a pair, or -1. */
  static int loneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** The text in quotes with its surrogates written as escapes, so the message shows them. */
  private static String escaped(String text) {
    StringBuilder out = new StringBuilder("'");
    int shown = Math.min(text.length(), 60);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(shown < text.length() ? "...'" : "'").toString();
  }
}
