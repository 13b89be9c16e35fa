package dev.colony.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.colony.cli.ColonyCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Colony command lines as the deploy files write them, parsed by colony's own picocli model (the
 * parser {@code bin/colony} runs, without running the command): an option the command does not
 * have, a missing value or one that does not convert (a port, a duration) fails the test.
 */
final class ColonyArgs {
  /** The deploy folder of this checkout. */
  static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$\\((\\w+)\\)");

  private ColonyArgs() {}

  /**
   * Parses {@code argv} (the words after {@code colony}) and returns the parse of its subcommand,
   * which must be {@code subcommand}.
   */
  static ParseResult parse(List<String> argv, String subcommand, String where) {
    ParseResult result;
    try {
      // A new command line each time: picocli keeps the values in its command objects.
      result = ColonyCommand.newCommandLine().parseArgs(argv.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new AssertionError(
          where + ": colony refuses " + argv + ": " + e.getMessage() + accepted(subcommand), e);
    }
    assertTrue(result.hasSubcommand(), where + ": no colony command in " + argv);
    assertEquals(
        subcommand, result.subcommand().commandSpec().name(), where + ": the command of " + argv);
    return result.subcommand();
  }

  /** The value of {@code option} as given, or else its default; null if it has neither. */
  static <T> T value(ParseResult command, String option) {
    OptionSpec spec = command.commandSpec().findOption(option);
    if (spec == null) {
      fail("colony " + command.commandSpec().name() + " has no option " + option);
    }
    return spec.getValue();
  }

  /** True if {@code option} was on the command line. */
  static boolean given(ParseResult command, String option) {
    return command.hasMatchedOption(option);
  }

  /**
   * {@code text} with {@code ${NAME}} (systemd, compose) and {@code $(NAME)} (Kubernetes) replaced
   * from {@code values}; every variable must have a value there.
   */
  static String substitute(String text, Map<String, String> values, String where) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = values.get(name);
      if (value == null) {
        fail(where + ": " + m.group() + " has no value (known: " + values.keySet() + ")");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String accepted(String subcommand) {
    CommandLine command = ColonyCommand.newCommandLine().getSubcommands().get(subcommand);
    return command == null
        ? ""
        : " (colony "
            + subcommand
            + " accepts "
            + command.getCommandSpec().optionsMap().keySet()
            + ")";
  }
}
