package dev.colony.cli;

import dev.colony.client.ColonyException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the failures a user can act on into one line on stderr and an exit code; anything else is a
 * bug and keeps its stack trace.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult)
      throws Exception {
    int exitCode;
    String message;
    if (e instanceof CommandFailedException failed) {
      exitCode = failed.exitCode();
      message = failed.getMessage();
    } else if (e instanceof ColonyException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof UnsupportedOperationException) {
      // The SDK's exceptions carry the coordinator's message, written for people.
      exitCode = ExitCodes.ERROR;
      message = e.getMessage();
    } else {
      throw e;
    }
    PrintWriter err = commandLine.getErr();
    err.println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
    if (ColonyCommand.verbose(commandLine)) {
      e.printStackTrace(err);
    }
    err.flush();
    return exitCode;
  }
}
