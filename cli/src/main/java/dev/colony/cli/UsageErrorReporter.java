package dev.colony.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A bad command line in one line on stderr, exit code 2: what is wrong, the closest command or
 * option when a word was not recognised, and where the help is. Picocli's default prints the whole
 * usage, which buries the one line that matters.
 */
final class UsageErrorReporter implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    String name = commandLine.getCommandSpec().qualifiedName();
    String message =
        e instanceof UnmatchedArgumentException unmatched ? describe(unmatched) : e.getMessage();
    // Picocli's own errors (a missing or unknown argument) want the help; Colony's checks of a
    // value say what to do themselves.
    if (e.getClass() != ParameterException.class) {
      message += " (see '" + name + " --help')";
    }
    PrintWriter err = commandLine.getErr();
    err.println(name + ": " + message);
    if (ColonyCommand.verbose(commandLine)) {
      e.printStackTrace(err);
    }
    err.flush();
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static String describe(UnmatchedArgumentException e) {
    List<String> unmatched = e.getUnmatched();
    String word = unmatched.isEmpty() ? "?" : unmatched.get(0);
    boolean hasCommands = !e.getCommandLine().getSubcommands().isEmpty();
    String what;
    if (e.isUnknownOption()) {
      what = "unknown option '" + word + "'";
    } else if (hasCommands) {
      what = "unknown command '" + word + "'";
    } else {
      what = "unexpected argument '" + word + "'";
    }
    List<String> suggestions = e.getSuggestions();
    if (suggestions.isEmpty()) {
      return what;
    }
    // Picocli lists the closest first; one name reads as an answer, a list as a guess.
    return what + "; did you mean " + suggestions.get(0) + "?";
  }
}
