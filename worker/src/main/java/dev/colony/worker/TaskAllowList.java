package dev.colony.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which task classes a worker runs: any client may name any class, so a worker runs only the
 * classes it was given for that. With no patterns, those are the classes of its {@code --tasks}
 * jars; otherwise the classes whose names match a pattern. A pattern is a glob over the binary
 * class name ({@code *} is any run of characters but '.', {@code **} any run at all, {@code ?} one
 * character but '.'), or a regular expression after {@code regex:}.
 */
final class TaskAllowList {
  private static final String REGEX_PREFIX = "regex:";

  private final List<String> patterns;
  private final List<Pattern> compiled;

  private TaskAllowList(List<String> patterns, List<Pattern> compiled) {
    this.patterns = patterns;
    this.compiled = compiled;
  }

  /**
   * @throws IllegalArgumentException for a blank pattern or a regular expression that does not
   *     compile
   */
  static TaskAllowList of(List<String> patterns) {
    List<Pattern> compiled = new ArrayList<>(patterns.size());
    for (String pattern : patterns) {
      compiled.add(compile(pattern));
    }
    return new TaskAllowList(List.copyOf(patterns), compiled);
  }

  private static Pattern compile(String pattern) {
    if (pattern.isBlank()) {
      throw new IllegalArgumentException("--allow-tasks: a pattern must not be blank");
    }
    if (pattern.startsWith(REGEX_PREFIX)) {
      try {
        return Pattern.compile(pattern.substring(REGEX_PREFIX.length()));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("--allow-tasks: " + e.getMessage(), e);
      }
    }
    return Pattern.compile(globToRegex(pattern));
  }

  static String globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^.]*");
      } else if (c == '?') {
        regex.append("[^.]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }

  /** True when only the {@code --tasks} jars' classes run (no pattern was given). */
  boolean onlyTaskJars() {
    return patterns.isEmpty();
  }

  /** Whether a class of that binary name may run; always false with no patterns. */
  boolean allowsName(String className) {
    for (Pattern pattern : compiled) {
      if (pattern.matcher(className).matches()) {
        return true;
      }
    }
    return false;
  }

  List<String> patterns() {
    return patterns;
  }
}
