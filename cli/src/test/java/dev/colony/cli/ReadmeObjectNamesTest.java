package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's sections run in any order against one coordinator: no object name in its code is
 * used as two types (a name used as a list in one section and a Value in another fails the second
 * with a type error).
 */
class ReadmeObjectNamesTest {
  private static final Pattern CODE_BLOCK = Pattern.compile("(?ms)^```\\w*\\n(.*?)^```");
  private static final Pattern SHELL =
      Pattern.compile("bin/colony (queue|value|map|lock) \\w+ ([\\w-]+)");
  private static final Pattern JAVA = Pattern.compile("colony\\.(\\w+)\\(\"([\\w-]+)\"");
  private static final Map<String, String> JAVA_TYPES =
      Map.of(
          "atomicLong", "value",
          "value", "value",
          "queue", "queue",
          "lock", "lock",
          "rlock", "rlock",
          "list", "list",
          "map", "map",
          "semaphore", "semaphore",
          "event", "event",
          "countDownLatch", "count-down-latch");

  @Test
  void readmeCode_usesEachObjectNameAsOneType() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    Map<String, TreeSet<String>> types = new TreeMap<>();
    Matcher block = CODE_BLOCK.matcher(readme);
    while (block.find()) {
      String code = block.group(1);
      Matcher shell = SHELL.matcher(code);
      while (shell.find()) {
        types.computeIfAbsent(shell.group(2), n -> new TreeSet<>()).add(shell.group(1));
      }
      Matcher java = JAVA.matcher(code);
      while (java.find()) {
        String type = JAVA_TYPES.get(java.group(1));
        if (type != null) {
          types.computeIfAbsent(java.group(2), n -> new TreeSet<>()).add(type);
        }
      }
    }
    assertTrue(types.size() >= 5, "found the README's objects: " + types);
    types.forEach(
        (name, used) -> assertEquals(1, used.size(), "README.md uses '" + name + "' as " + used));
  }
}
