package dev.colony.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;

/** One colony command run in-process: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = ColonyCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  /** Runs a command against the coordinator at {@code address} (its {@code --coordinator}). */
  static CliRun against(String address, String... args) {
    String[] withCoordinator = Arrays.copyOf(args, args.length + 2);
    withCoordinator[args.length] = "--coordinator";
    withCoordinator[args.length + 1] = address;
    return of(withCoordinator);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
