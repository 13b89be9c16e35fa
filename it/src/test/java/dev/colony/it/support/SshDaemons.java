package dev.colony.it.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An OpenSSH server in each namespace of a {@link TestNetwork}, so that each is a host a launcher
 * logs in to as root with a key: one host key and one client key made with {@code ssh-keygen} in a
 * folder of the test, a config of their own per daemon (that key alone, no passwords, no PAM), and
 * a {@code known_hosts} that lists every address with the host key, so that ssh can check keys
 * strictly. {@link #close()} stops the daemons (the test's processes, by handle).
 */
public final class SshDaemons implements AutoCloseable {
  public static final String SSHD = "/usr/sbin/sshd";
  private static final Duration START = Duration.ofSeconds(30);

  private final Path dir;
  private final List<Process> daemons = new ArrayList<>();

  private SshDaemons(Path dir) {
    this.dir = dir;
  }

  /** Null if this machine has OpenSSH's server and client, else what is missing. */
  public static String unsupportedReason() {
    if (!Files.isExecutable(Path.of(SSHD))) {
      return SSHD + " is missing (Debian: apt-get install openssh-server)";
    }
    for (String tool : List.of("ssh", "ssh-keygen")) {
      if (!onPath(tool)) {
        return tool + " is missing (Debian: apt-get install openssh-client)";
      }
    }
    return null;
  }

  private static boolean onPath(String tool) {
    for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(folder, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Keys in {@code dir}, then sshd on port 22 of each namespace of {@code network}. */
  public static SshDaemons start(TestNetwork network, Path dir) throws IOException {
    SshDaemons daemons = new SshDaemons(dir);
    try {
      daemons.startAll(network);
    } catch (IOException | RuntimeException e) {
      daemons.close();
      throw e;
    }
    return daemons;
  }

  private void startAll(TestNetwork network) throws IOException {
    run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey().toString()));
    run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", identity().toString()));
    Files.copy(Path.of(identity() + ".pub"), dir.resolve("authorized_keys"));
    String hostPublicKey = Files.readString(Path.of(hostKey() + ".pub")).strip();
    StringBuilder knownHosts = new StringBuilder();
    for (int i = 1; i <= network.size(); i++) {
      knownHosts.append(network.address(i)).append(' ').append(hostPublicKey).append('\n');
    }
    Files.writeString(knownHosts(), knownHosts);
    // sshd refuses to start without its privilege separation folder, which the Debian package
    // makes only when its service starts.
    Files.createDirectories(Path.of("/run/sshd"));
    for (int i = 1; i <= network.size(); i++) {
      Path config = dir.resolve("sshd_config." + i);
      Files.writeString(
          config,
          String.join(
              "\n",
              "ListenAddress " + network.address(i),
              "Port 22",
              "HostKey " + hostKey(),
              "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
              "PermitRootLogin prohibit-password",
              "PasswordAuthentication no",
              "KbdInteractiveAuthentication no",
              "UsePAM no",
              // The keys live in a test's temporary folder, whose modes sshd would not accept.
              "StrictModes no",
              "PidFile " + dir.resolve("sshd." + i + ".pid"),
              "LogLevel ERROR",
              ""));
      List<String> command = new ArrayList<>(network.exec(i));
      command.addAll(List.of(SSHD, "-D", "-e", "-f", config.toString()));
      daemons.add(
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("sshd." + i + ".log").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start());
    }
    for (int i = 1; i <= network.size(); i++) {
      String address = network.address(i);
      Process daemon = daemons.get(i - 1);
      Path log = dir.resolve("sshd." + i + ".log");
      await("sshd listening on " + address + ":22")
          .atMost(START)
          .pollInterval(Duration.ofMillis(100))
          .failFast(
              "sshd in namespace " + i + " ended (its log: " + log + ")", () -> !daemon.isAlive())
          .until(() -> answers(address));
    }
  }

  private static boolean answers(String address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, 22), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The private key that logs in as root on every host. */
  public Path identity() {
    return dir.resolve("id_ed25519");
  }

  /** Every host's address with its key, for ssh's UserKnownHostsFile. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** The pids of the daemons, which stay when the test's other processes are gone. */
  public List<Long> pids() {
    return daemons.stream().map(Process::pid).toList();
  }

  private Path hostKey() {
    return dir.resolve("ssh_host_ed25519_key");
  }

  @Override
  public void close() {
    for (Process daemon : daemons) {
      daemon.destroyForcibly();
    }
    for (Process daemon : daemons) {
      try {
        daemon.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void run(List<String> command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(command + " failed or hung");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command, e);
    }
  }
}
