package dev.colony.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code colony command-server run|status|stop}: the warm JVM behind {@code bin/colony}'s quick
 * commands ({@link CommandServer}). People rarely need it: the script starts the server on first
 * use and it stops itself when idle.
 */
@Command(
    name = "command-server",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "The warm JVM that lets bin/colony answer "
          + "status, queue, value, map, lock, objects, delete, submit, tasks and cancel in"
          + " milliseconds instead of a JVM start each.",
      "bin/colony starts it on first use; it stops after --idle-timeout without commands, or when"
          + " colony is rebuilt. COLONY_COMMAND_SERVER=off runs every command in its own JVM.",
      "Its state file (port, secret, pid; readable by you only) is"
          + " $COLONY_COMMAND_SERVER_DIR/command-server, else $XDG_RUNTIME_DIR/colony/command-server,"
          + " else ~/.cache/colony/command-server; its log is command-server.log beside it."
    },
    footer = {
      "%nExit codes: 0 done; 1 failed; 2 bad command line; 3 (status, stop) no server is running."
    })
final class CommandServerCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Serves commands in the foreground (what bin/colony starts in the background).")
  int run(
      @Option(
              names = "--idle-timeout",
              paramLabel = "DURATION",
              defaultValue = "30m",
              converter = DurationConverter.class,
              description = "Stop after this long without a command (default: ${DEFAULT-VALUE}).")
          Duration idleTimeout,
      @Option(
              names = "--state-file",
              paramLabel = "FILE",
              description =
                  "Where to write the port, secret and pid (default: the place described above;"
                      + " bin/colony names it).")
          Path stateFile)
      throws Exception {
    CommandServer.serve(stateFile != null ? stateFile : stateFile(), idleTimeout);
    return ExitCodes.OK;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Says whether a command server is running, and its pid and port.")
  int status() {
    Optional<CommandServer.State> state = running();
    PrintWriter out = spec.commandLine().getOut();
    if (state.isEmpty()) {
      out.println("no command server is running (state file " + stateFile() + ")");
      out.flush();
      return ExitCodes.NOTHING;
    }
    out.println(
        "command server running: pid "
            + state.get().pid()
            + ", port "
            + state.get().port()
            + " (state file "
            + stateFile()
            + ")");
    out.flush();
    return ExitCodes.OK;
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description =
          "Stops the command server (SIGTERM) and waits for it; commands it is running end.")
  int stop() throws InterruptedException {
    Optional<CommandServer.State> state = running();
    PrintWriter out = spec.commandLine().getOut();
    if (state.isEmpty()) {
      out.println("no command server is running");
      out.flush();
      return ExitCodes.NOTHING;
    }
    ProcessHandle process = ProcessHandle.of(state.get().pid()).orElseThrow();
    process.destroy();
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new CommandFailedException(
          ExitCodes.ERROR,
          "the command server (pid " + state.get().pid() + ") did not stop within 10 s");
    }
    out.println("stopped the command server (pid " + state.get().pid() + ")");
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * The server the state file names, if that process is alive and is a colony command server (a pid
   * from a stale file may belong to anything by now).
   */
  private Optional<CommandServer.State> running() {
    return CommandServer.State.read(stateFile())
        .filter(
            state ->
                ProcessHandle.of(state.pid())
                    .flatMap(process -> process.info().arguments())
                    .map(args -> String.join(" ", args).contains("command-server run"))
                    .orElse(false));
  }

  private Path stateFile() {
    return CommandServer.stateFile(ColonyCommand.invocation(spec.commandLine()).environment());
  }
}
