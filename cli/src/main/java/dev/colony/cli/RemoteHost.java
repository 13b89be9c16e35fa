package dev.colony.cli;

import dev.colony.cli.HostsFile.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One host of a hosts file as the launcher sees it over ssh: a folder of its own under the remote
 * folder ({@code <remote-dir>/<role>-<address>}) holding the process's pid file, log, secrets and
 * data, beside the shared distribution {@code <remote-dir>/colony-<version>}. The folder is per
 * host, so a home directory shared over NFS by all hosts works too.
 *
 * <p>Each method is one ssh call running a small sh script; the scripts print {@code KEY value}
 * lines that the methods read back.
 */
final class RemoteHost {
  static final Duration CALL = Duration.ofSeconds(60);
  private static final Duration COPY = Duration.ofMinutes(10);
  private static final String PID = "colony.pid";
  static final String LOG = "colony.log";

  /**
   * Defines {@code alive}: the pid file names a live process that is a colony one. The command line
   * check keeps a pid reused by another program after a reboot from being signalled.
   */
  private static final String ALIVE =
      "pid=$(cat "
          + PID
          + " 2>/dev/null || true)\n"
          + "alive() { [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null"
          + " && { [ ! -r /proc/$pid/cmdline ] || grep -q colony /proc/$pid/cmdline; }; }\n";

  private final Ssh ssh;
  private final Host host;
  private final String remoteDir;
  private final String version;

  RemoteHost(Ssh ssh, Host host, String remoteDir, String version) {
    this.ssh = ssh;
    this.host = host;
    this.remoteDir = remoteDir;
    this.version = version;
  }

  Host host() {
    return host;
  }

  /** The launcher script of the distribution on the host, relative to the host's folder. */
  private String colony() {
    return "../colony-" + version + "/bin/colony";
  }

  /** A script that runs {@code body} in the host's folder (made if missing, private). */
  private String inFolder(String body) {
    return "set -e\numask 077\nmkdir -p "
        + ShellWords.quote(host.folder(remoteDir))
        + "\ncd "
        + ShellWords.quote(host.folder(remoteDir))
        + "\n"
        + body;
  }

  /** What the host has: {@code JAVA <path>}, {@code JAVA_VERSION <line>}, {@code COLONY yes|no}. */
  Ssh.Result probe(String javaHome) {
    String java =
        javaHome == null
            ? "java=$(command -v java || true)\n"
            : "java=" + ShellWords.quote(javaHome + "/bin/java") + "\n";
    return ssh.run(
        host.address(),
        inFolder(
            java
                + "if [ -n \"$java\" ] && [ -x \"$java\" ]; then echo \"JAVA $java\";"
                + " echo \"JAVA_VERSION $(\"$java\" -version 2>&1 | head -n 1)\"; fi\n"
                + "if [ -x "
                + colony()
                + " ]; then echo COLONY yes; else echo COLONY no; fi\n"),
        CALL);
  }

  /**
   * Unpacks a distribution tarball fed on standard input as {@code colony-<version>}: into a
   * temporary folder first, so that a broken copy is never taken for a distribution. False if
   * another host sharing this one's disk (an NFS home) put it there meanwhile.
   */
  boolean install(List<String> tarballFeeder) {
    String incoming = ".incoming-" + host.address().replace(':', '_');
    String target = "colony-" + version;
    Ssh.Result result =
        ssh.runFed(
            host.address(),
            inFolder(
                "cd ..\n"
                    + "if [ -x "
                    + target
                    + "/bin/colony ]; then echo PRESENT; exit 0; fi\n"
                    + "rm -rf "
                    + incoming
                    + "\nmkdir "
                    + incoming
                    + "\ntar -xzf - -C "
                    + incoming
                    + "\nif [ -e "
                    + target
                    + " ]; then rm -rf "
                    + incoming
                    + "; echo PRESENT; exit 0; fi\n"
                    + "mv "
                    + incoming
                    + "/* "
                    + target
                    + "\nrmdir "
                    + incoming
                    + "\necho INSTALLED\n"),
            tarballFeeder,
            COPY);
    if (result.value("INSTALLED").isEmpty() && result.value("PRESENT").isEmpty()) {
      throw new CommandFailedException(
          ExitCodes.ERROR,
          "copying the distribution to " + host.address() + " failed: " + result.output().strip());
    }
    return result.value("INSTALLED").isPresent();
  }

  /**
   * Starts {@code colony <arguments>} detached (its own session, stdin from /dev/null, output to
   * the log), so it outlives the ssh login; returns its pid. A process already running from the pid
   * file is left as it is, so {@code up} can be run again after a partial failure.
   *
   * <p>{@code secretsFeeder} is a local command that writes a tar of the files the process reads
   * (token, certificates); they go to {@code secrets/}, readable by the login user alone. One ssh
   * call for both: on a busy host each login costs a second or more.
   */
  long start(List<String> arguments, Map<String, String> environment, List<String> secretsFeeder) {
    StringBuilder exports = new StringBuilder();
    environment.forEach(
        (key, value) ->
            exports
                .append(key)
                .append('=')
                .append(ShellWords.quote(value))
                .append("; export ")
                .append(key)
                .append('\n'));
    String command = colony() + " " + ShellWords.quote(arguments);
    Ssh.Result result =
        ssh.runFed(
            host.address(),
            inFolder(
                "mkdir -p secrets\nchmod 700 secrets\ntar -xf - -C secrets\nchmod 600 secrets/*\n"
                    + ALIVE
                    + "if alive; then echo \"RUNNING $pid\"; exit 0; fi\n"
                    + exports
                    + "detach=; if command -v setsid >/dev/null 2>&1; then detach=setsid; fi\n"
                    + "echo \"--- started by colony cluster up, $(date)\" >> "
                    + LOG
                    + "\nnohup $detach "
                    + command
                    + " >> "
                    + LOG
                    + " 2>&1 < /dev/null &\n"
                    + "echo $! > "
                    + PID
                    + "\necho \"STARTED $!\"\n"),
            secretsFeeder,
            CALL);
    String pid =
        result
            .value("STARTED")
            .or(() -> result.value("RUNNING"))
            .orElseThrow(
                () ->
                    new CommandFailedException(
                        ExitCodes.ERROR,
                        "starting " + host + " failed: " + result.output().strip()));
    return Long.parseLong(pid);
  }

  /** The pid of the host's process and whether it runs: {@code PID n}, {@code ALIVE yes|no}. */
  Ssh.Result state() {
    return ssh.run(
        host.address(),
        inFolder(
            ALIVE
                + "[ -z \"$pid\" ] || echo \"PID $pid\"\n"
                + "if alive; then echo ALIVE yes; else echo ALIVE no; fi\n"
                + "echo \"JOINED $(grep -c ' connected to ' "
                + LOG
                + " 2>/dev/null || true)\"\n"),
        CALL);
  }

  /** The last lines of the host's log, to show with a failure. */
  String logTail() {
    return ssh.run(host.address(), inFolder("tail -n 15 " + LOG + " 2>/dev/null || true\n"), CALL)
        .output()
        .strip();
  }

  /**
   * Waits until the log has a line containing {@code marker} (the process said it is ready), up to
   * {@code timeout}; false if the process ended or the time ran out.
   */
  boolean awaitLogLine(String marker, Duration timeout) {
    long tries = Math.max(1, timeout.toMillis() / 200);
    Ssh.Result result =
        ssh.run(
            host.address(),
            inFolder(
                ALIVE
                    + "i=0\nwhile [ $i -lt "
                    + tries
                    + " ]; do\n"
                    + "  if grep -q "
                    + ShellWords.quote(marker)
                    + " "
                    + LOG
                    + " 2>/dev/null; then echo READY; exit 0; fi\n"
                    + "  alive || { echo ENDED; exit 0; }\n"
                    + "  sleep 0.2; i=$((i+1))\ndone\necho WAITING\n"),
            timeout.plus(CALL));
    return result.value("READY").isPresent();
  }

  /** Sends SIGTERM; {@code NONE} if nothing was running, else {@code SIGNALLED pid}. */
  Ssh.Result signalStop() {
    return ssh.run(
        host.address(),
        inFolder(
            ALIVE
                + "if alive; then kill -TERM \"$pid\"; echo \"SIGNALLED $pid\";"
                + " else rm -f "
                + PID
                + "; echo NONE; fi\n"),
        CALL);
  }

  /**
   * Waits up to {@code timeout} for the process to end: {@code STOPPED}; past it the process is
   * killed ({@code KILLED}), since {@code down} must leave nothing running.
   */
  Ssh.Result awaitStopped(Duration timeout) {
    long tries = Math.max(1, timeout.toMillis() / 200);
    return ssh.run(
        host.address(),
        inFolder(
            ALIVE
                + "i=0\nwhile alive; do\n"
                + "  if [ $i -ge "
                + tries
                + " ]; then kill -KILL \"$pid\"; rm -f "
                + PID
                + "; echo KILLED; exit 0; fi\n"
                + "  sleep 0.2; i=$((i+1))\ndone\nrm -f "
                + PID
                + "\necho STOPPED\n"),
        timeout.plus(CALL));
  }

  /**
   * The arguments of {@code colony coordinator} or {@code colony worker} for this host: ours (each
   * an option and its value, if any), then those of the host's line, which win: an option of ours
   * that the line names too is left out.
   */
  static List<String> withDefaults(List<List<String>> ours, List<String> given) {
    List<String> arguments = new ArrayList<>();
    for (List<String> option : ours) {
      String name = option.get(0);
      if (given.stream().noneMatch(g -> g.equals(name) || g.startsWith(name + "="))) {
        arguments.addAll(option);
      }
    }
    arguments.addAll(given);
    return arguments;
  }
}
