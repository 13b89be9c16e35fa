package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.cli.ColonyCommand;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.workers.WorkerProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's shell examples run in any order: its {@code bin/colony} commands on objects run top
 * to bottom against one coordinator JVM, then in reverse section order (each section's commands
 * still in their order) against a fresh one, and every command exits 0, or the code its comment
 * allows ({@code # ...; exit 3 if empty}) with one line on stderr.
 *
 * <p>Which lines run: lines of the README's {@code ```sh} blocks that start with {@code bin/colony}
 * followed by a command that uses objects, tasks or state and returns ({@code queue}, {@code
 * value}, {@code map}, {@code lock}, {@code objects}, {@code delete}, {@code status}, {@code
 * tasks}, {@code cancel}, and {@code submit} of Colony's example tasks, which the walk's worker
 * runs). Left out: servers ({@code coordinator}, {@code local}, {@code worker}), submits of task
 * classes the walk does not have, {@code cluster}, lines that name another coordinator or
 * credentials ({@code --coordinator}, {@code --token-file}, {@code --tls-*}), and shell constructs
 * ({@code $(...)}, {@code &}, {@code ;}, loops). A pipe's consumer ({@code | jq ...}) is dropped
 * and the command before it runs; a {@code --value-file NAME} gets a file of that name in a scratch
 * folder. Each command runs in this JVM (picocli, as {@code bin/colony} would run it) with {@code
 * --coordinator} added. A comment that is a number or {@code deleted NAME} is the expected output.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadmeWalkTest {
  private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();
  private static final Pattern HEADING_OR_SH =
      Pattern.compile("(?ms)^(#{2,4} [^\\n]*)$|^```(\\w*)\\n(.*?)^```");
  private static final Set<String> OBJECT_COMMANDS =
      Set.of(
          "queue", "value", "map", "lock", "objects", "delete", "status", "tasks", "submit",
          "cancel");
  private static final String EXAMPLE_TASKS = "dev.colony.cli.demo.";
  private static final Pattern LITERAL_OUTPUT = Pattern.compile("-?\\d+|deleted \\S+");
  private static final Pattern ALLOWED_EXIT = Pattern.compile("\\bexit (\\d)\\b");

  /** One runnable README line: its words after {@code bin/colony} and what it should print. */
  record Line(String section, String text, List<String> args, String expectedOut, int alsoExit) {}

  @Test
  void readmeCommands_runTopToBottomThenInReverseSectionOrder(@TempDir Path dir) throws Exception {
    Map<String, List<Line>> sections = sections(Files.readString(README), dir);
    long lines = sections.values().stream().mapToLong(List::size).sum();
    assertTrue(lines >= 15, "found the README's commands: " + sections);
    assertTrue(sections.size() >= 3, "commands in several sections: " + sections.keySet());

    List<String> order = new ArrayList<>(sections.keySet());
    walk(order, sections);
    List<String> reversed = new ArrayList<>(order);
    Collections.reverse(reversed);
    walk(reversed, sections);
  }

  private static void walk(List<String> order, Map<String, List<Line>> sections) throws Exception {
    try (CoordinatorProcess coordinator = CoordinatorProcess.start();
        WorkerProcess worker =
            WorkerProcess.launch(
                    "readme-worker", coordinator.target(), "--allow-tasks", EXAMPLE_TASKS + "*")
                .awaitConnected()) {
      for (String section : order) {
        for (Line line : sections.get(section)) {
          run(line, coordinator.target(), order);
        }
      }
    }
  }

  private static void run(Line line, String target, List<String> order) {
    List<String> args = new ArrayList<>(line.args());
    args.add("--coordinator");
    args.add(target);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = ColonyCommand.newCommandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args.toArray(String[]::new));
    String where = line.section() + ": " + line.text() + " (order " + order + ")";
    String output = where + "\nstdout: " + out + "\nstderr: " + err;
    if (exit != 0 && exit == line.alsoExit()) {
      assertEquals(1, err.toString().strip().lines().count(), output);
      return;
    }
    assertEquals(0, exit, output);
    if (line.expectedOut() != null) {
      assertEquals(line.expectedOut(), out.toString().strip(), where);
    }
  }

  /** The qualifying lines, by section heading in README order. */
  static Map<String, List<Line>> sections(String readme, Path dir) throws IOException {
    Map<String, List<Line>> sections = new LinkedHashMap<>();
    String heading = "(top)";
    Matcher m = HEADING_OR_SH.matcher(readme);
    while (m.find()) {
      if (m.group(1) != null) {
        heading = m.group(1);
        continue;
      }
      if (!m.group(2).equals("sh")) {
        continue;
      }
      for (String text : m.group(3).split("\n")) {
        Line line = parse(heading, text.strip(), dir);
        if (line != null) {
          sections.computeIfAbsent(heading, h -> new ArrayList<>()).add(line);
        }
      }
    }
    return sections;
  }

  private static Line parse(String section, String text, Path dir) throws IOException {
    if (!text.startsWith("bin/colony ")
        || text.contains("$")
        || text.contains("&")
        || text.contains(";")) {
      return null;
    }
    List<String> words = new ArrayList<>();
    String comment = words(text.substring("bin/colony ".length()), words);
    if (words.isEmpty()
        || !OBJECT_COMMANDS.contains(words.get(0))
        || (words.get(0).equals("submit")
            && (words.size() < 2 || !words.get(1).startsWith(EXAMPLE_TASKS)))
        || words.stream()
            .anyMatch(
                w ->
                    w.equals("--coordinator")
                        || w.equals("--token-file")
                        || w.startsWith("--tls-"))) {
      return null;
    }
    int file = words.indexOf("--value-file");
    if (file >= 0) {
      Path content = dir.resolve(words.get(file + 1));
      Files.writeString(content, "{\"photo\":17,\"size\":\"small\"}");
      words.set(file + 1, content.toString());
    }
    String expected = comment != null && LITERAL_OUTPUT.matcher(comment).matches() ? comment : null;
    Matcher exit = ALLOWED_EXIT.matcher(comment == null ? "" : comment);
    int alsoExit = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
    return new Line(section, text, List.copyOf(words), expected, alsoExit);
  }

  /**
   * Splits a shell line into words as sh would for these lines (double and single quotes, no
   * escapes); stops at an unquoted {@code |} or {@code #}. Returns the comment after {@code #}.
   */
  static String words(String line, List<String> words) {
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (c == '|' || c == '#') {
        if (word != null) {
          words.add(word.toString());
        }
        return c == '#' ? line.substring(i + 1).strip() : null;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    assertFalse(quote != 0, "unbalanced quote in README line: " + line);
    if (word != null) {
      words.add(word.toString());
    }
    return null;
  }
}
