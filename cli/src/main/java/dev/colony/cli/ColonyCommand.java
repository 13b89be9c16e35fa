package dev.colony.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code colony}: the one launcher people type. Each verb is its own class, listed in {@code
 * subcommands}; a new verb (worker, local, status, demo, bench, object commands) is one more class
 * there.
 */
@Command(
    name = "colony",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "A distributed remote-worker manager for the JVM: shared objects, workers, pools.",
    subcommands = {
      DemoCommand.class,
      LocalCommand.class,
      CoordinatorCommand.class,
      WorkerCommand.class,
      StatusCommand.class,
      HealthCommand.class,
      QueueCommand.class,
      ValueCommand.class,
      MapCommand.class,
      LockCommand.class,
      ObjectsCommand.class,
      DeleteCommand.class,
      SubmitCommand.class,
      TasksCommand.class,
      CancelCommand.class,
      ClusterCommand.class,
      CommandServerCommand.class,
      dev.colony.bench.BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ColonyCommand implements Runnable {
  @Spec CommandSpec spec;

  private final Invocation invocation;
  private boolean verbose;

  private ColonyCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "With an error, print its stack trace and gRPC's own warnings too.")
  void setVerbose(boolean verbose) {
    this.verbose = verbose;
    Verbosity.set(verbose);
  }

  /** The environment and working directory of the command {@code commandLine} belongs to. */
  static Invocation invocation(CommandLine commandLine) {
    return root(commandLine).invocation;
  }

  /** Whether the command {@code commandLine} belongs to was given {@code --verbose}. */
  static boolean verbose(CommandLine commandLine) {
    return root(commandLine).verbose;
  }

  private static ColonyCommand root(CommandLine commandLine) {
    return (ColonyCommand) commandLine.getCommandSpec().root().userObject();
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing a command, e.g. 'colony coordinator'");
  }

  /**
   * The command line with Colony's settings; tests use it to run commands in-process. Arguments are
   * taken literally: picocli's @-files would replace {@code @path} with the file's content, so a
   * script passing user input ({@code colony queue put q "$input"}) could be made to leak a file.
   */
  public static CommandLine newCommandLine() {
    return newCommandLine(Invocation.ofThisProcess());
  }

  /**
   * The command line for a command run on behalf of {@code invocation}: paths it is given are
   * relative to the invocation's working directory, not this JVM's.
   */
  static CommandLine newCommandLine(Invocation invocation) {
    Verbosity.set(false);
    return new CommandLine(new ColonyCommand(invocation))
        .registerConverter(Path.class, invocation::resolve)
        .setExpandAtFiles(false)
        .setParameterExceptionHandler(new UsageErrorReporter())
        .setExecutionStrategy(ColonyCommand::execute)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new ErrorReporter());
  }

  /**
   * Picocli shows the help for {@code colony nosuch --help} and exits 0, passing over the word it
   * did not know; a typo deserves the error (and the suggestion) it gets without {@code --help}.
   */
  private static int execute(ParseResult parseResult) {
    for (ParseResult each = parseResult; each != null; each = each.subcommand()) {
      if (!each.unmatched().isEmpty()) {
        throw new UnmatchedArgumentException(each.commandSpec().commandLine(), each.unmatched());
      }
    }
    return new RunLast().execute(parseResult);
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }
}
