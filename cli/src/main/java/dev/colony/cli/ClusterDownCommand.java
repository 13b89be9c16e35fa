package dev.colony.cli;

import dev.colony.cli.HostsFile.Role;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code colony cluster down}: workers first, each sent SIGTERM, which makes it drain (no new
 * tasks, running ones finish or go back to the queue), and only when they are gone the
 * coordinators, so that no worker loses its coordinator mid-task. A host that cannot be reached is
 * reported and the others are still stopped.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Stops Colony on the hosts of a hosts file: sends the workers SIGTERM (they drain: running"
          + " tasks finish within their --drain-grace, the rest go back to the queue), waits for"
          + " them to end, then does the same with the coordinators. A process still running"
          + " after --timeout is killed. Data, logs and the distribution stay on the hosts."
    },
    footer = {
      "%nExit codes: 0 nothing left running; 1 a host could not be reached or stopped (the"
          + " reason is on stderr); 2 bad command line."
    })
final class ClusterDownCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClusterHosts cluster;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "How long each process may take to end after SIGTERM before it is killed (default:"
              + " ${DEFAULT-VALUE}; a worker's drain takes up to its --drain-grace, 30s).")
  Duration timeout;

  @Override
  public Integer call() {
    List<RemoteHost> hosts = cluster.remoteHosts();
    boolean failed = stop(hosts.stream().filter(h -> h.host().role() == Role.WORKER).toList());
    failed |= stop(hosts.stream().filter(h -> h.host().role() == Role.COORDINATOR).toList());
    return failed ? ExitCodes.ERROR : ExitCodes.OK;
  }

  /**
   * Signals them all, then waits for each: the drains run at the same time. A host that cannot be
   * reached is reported; the others are stopped all the same.
   */
  private boolean stop(List<RemoteHost> hosts) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    List<RemoteHost> signalled = new ArrayList<>();
    for (Map.Entry<RemoteHost, Ssh.Result> each :
        OnEachHost.run(hosts, host -> reported(host::signalStop)).entrySet()) {
      Ssh.Result result = each.getValue();
      if (result.exitCode() == UNREACHABLE) {
        err.println(each.getKey().host() + ": " + result.output());
        failed = true;
      } else if (result.value("SIGNALLED").isPresent()) {
        signalled.add(each.getKey());
        out.println(each.getKey().host() + ": stopping pid " + result.value("SIGNALLED").get());
      } else {
        out.println(each.getKey().host() + ": not running");
      }
    }
    out.flush();
    err.flush();
    for (Map.Entry<RemoteHost, Ssh.Result> each :
        OnEachHost.run(signalled, host -> reported(() -> host.awaitStopped(timeout))).entrySet()) {
      Ssh.Result result = each.getValue();
      if (result.exitCode() == UNREACHABLE) {
        err.println(each.getKey().host() + ": " + result.output());
        failed = true;
      } else if (result.value("KILLED").isPresent()) {
        out.println(
            each.getKey().host()
                + ": killed, still running "
                + timeout.toSeconds()
                + " s after SIGTERM");
      } else {
        out.println(each.getKey().host() + ": stopped");
      }
    }
    out.flush();
    err.flush();
    return failed;
  }

  /** Marks a step's failure to reach its host, so that one host does not stop the others. */
  private static final int UNREACHABLE = -1;

  private static Ssh.Result reported(Supplier<Ssh.Result> step) {
    try {
      return step.get();
    } catch (CommandFailedException e) {
      return new Ssh.Result(UNREACHABLE, e.getMessage());
    }
  }
}
