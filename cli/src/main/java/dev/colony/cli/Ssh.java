package dev.colony.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs shell scripts on hosts with the system's {@code ssh}. The system client rather than a Java
 * SSH library: it reads the user's {@code ~/.ssh/config}, agent, known hosts and ProxyJump, as
 * {@code ray up} and Ansible rely on, and Colony ships no SSH stack. {@code BatchMode=yes}: a
 * password or passphrase prompt would hang an unattended launcher, so it fails instead, and {@link
 * #failure} turns ssh's message into what to do next.
 */
final class Ssh {
  /** ssh's own exit code when it failed (rather than the remote command). */
  private static final int SSH_FAILED = 255;

  private final HostsFile hosts;

  Ssh(HostsFile hosts) {
    this.hosts = hosts;
  }

  /** What a remote script printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {
    /** The value of the first output line {@code KEY value}, if there is one. */
    Optional<String> value(String key) {
      return output
          .lines()
          .filter(l -> l.equals(key) || l.startsWith(key + " "))
          .findFirst()
          .map(l -> l.substring(key.length()).strip());
    }
  }

  /** Runs {@code script} with {@code sh} on {@code address}; ssh failures throw. */
  Result run(String address, String script, Duration timeout) {
    return run(address, script, null, timeout);
  }

  /**
   * Runs {@code script} on {@code address} with the bytes of {@code input} (a file, or null) on its
   * standard input, bounded by {@code timeout}.
   */
  Result run(String address, String script, Path input, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command(address, script));
    builder.redirectInput(
        input == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : from(input));
    return finish(address, List.of(builder), timeout);
  }

  /**
   * Runs {@code script} on {@code address} with the output of the local command {@code feeder} on
   * its standard input: {@code feeder | ssh host script}, without a temporary file.
   */
  Result runFed(String address, String script, List<String> feeder, Duration timeout) {
    ProcessBuilder feed =
        new ProcessBuilder(feeder)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    return finish(address, List.of(feed, new ProcessBuilder(command(address, script))), timeout);
  }

  private static ProcessBuilder.Redirect from(Path input) {
    return ProcessBuilder.Redirect.from(input.toFile());
  }

  /** The ssh command line: our options, the user's, then the host and the script for sh. */
  List<String> command(String address, String script) {
    // ssh takes the first value it is given for an option: BatchMode first, so that it holds;
    // the file's options before our ConnectTimeout, so that they can change it.
    List<String> command = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes"));
    hosts.sshOptions().forEach(option -> command.addAll(List.of("-o", option)));
    command.addAll(List.of("-o", "ConnectTimeout=10"));
    Optional.ofNullable(hosts.settings().get("ssh-port")).ifPresent(p -> command.addAll(port(p)));
    hosts.path("ssh-identity").ifPresent(i -> command.addAll(List.of("-i", i.toString())));
    Optional.ofNullable(hosts.settings().get("ssh-user"))
        .ifPresent(u -> command.addAll(List.of("-l", u)));
    command.add(address);
    // sh -c with the script quoted: the login shell may be fish or csh, sh is there on every Unix.
    command.add("sh -c " + ShellWords.quote(script));
    return command;
  }

  private static List<String> port(String port) {
    return List.of("-p", port);
  }

  /**
   * Starts the pipeline (the last process is ssh), waits for it within {@code timeout} and reads
   * its output from a file, so that a hung ssh cannot block a read: the wait is what is bounded.
   */
  private Result finish(String address, List<ProcessBuilder> pipeline, Duration timeout) {
    Path output;
    try {
      output = Files.createTempFile("colony-ssh", ".out");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessBuilder ssh = pipeline.get(pipeline.size() - 1);
    ssh.redirectErrorStream(true).redirectOutput(output.toFile());
    List<Process> processes = List.of();
    try {
      processes =
          pipeline.size() == 1 ? List.of(ssh.start()) : ProcessBuilder.startPipeline(pipeline);
      Process last = processes.get(processes.size() - 1);
      if (!last.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new CommandFailedException(
            ExitCodes.ERROR,
            "ssh to "
                + address
                + " did not finish within "
                + timeout.toSeconds()
                + " s; check that the host answers (`ssh "
                + address
                + " true`) and run the command again");
      }
      Result result =
          new Result(last.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      if (result.exitCode() == SSH_FAILED) {
        throw failure(address, result.output());
      }
      return result;
    } catch (IOException e) {
      throw new CommandFailedException(
          ExitCodes.ERROR, "cannot run ssh (" + e.getMessage() + "); install an OpenSSH client");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(ExitCodes.ERROR, "interrupted while ssh ran on " + address);
    } finally {
      processes.forEach(Process::destroyForcibly);
      try {
        Files.deleteIfExists(output);
      } catch (IOException e) {
        // A temporary file left behind harms nothing.
      }
    }
  }

  /** ssh's failure as an error that says what to do about it. */
  CommandFailedException failure(String address, String output) {
    String said = output.strip().lines().reduce((a, b) -> b).orElse("");
    String target =
        Optional.ofNullable(hosts.settings().get("ssh-user")).map(u -> u + "@").orElse("")
            + address;
    String advice;
    if (output.contains("Host key verification failed")
        || output.contains("No ED25519 host key is known")
        || output.contains("host key is known")) {
      advice =
          "the host key of "
              + address
              + " is not known: connect once with `ssh "
              + target
              + "` and check and accept its key, or add `ssh-option"
              + " StrictHostKeyChecking=accept-new` to the hosts file to trust it on first contact";
    } else if (output.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")) {
      advice =
          "the host key of "
              + address
              + " changed since it was recorded: find out why, then `ssh-keygen -R "
              + address
              + "`";
    } else if (output.contains("Permission denied")) {
      advice =
          "ssh refused the login to "
              + target
              + ": a launcher cannot type passwords, so log in with a key (ssh-copy-id "
              + target
              + "; ssh-identity or ssh-user in the hosts file)";
    } else if (output.contains("Connection refused")
        || output.contains("timed out")
        || output.contains("No route to host")
        || output.contains("Could not resolve")
        || output.contains("Network is unreachable")) {
      advice =
          "cannot reach sshd on "
              + address
              + ": check the address, that sshd runs there (Debian: apt-get install"
              + " openssh-server) and the port (ssh-port in the hosts file)";
    } else {
      advice = "ssh to " + address + " failed; try `ssh " + target + " true` to see why";
    }
    return new CommandFailedException(ExitCodes.ERROR, advice + " (ssh said: " + said + ")");
  }
}
