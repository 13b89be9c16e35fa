package dev.colony.cli;

import dev.colony.cli.HostsFile.Host;
import dev.colony.cli.HostsFile.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code colony cluster up}: over ssh, puts the distribution, token and certificates on every host
 * of the hosts file, starts the coordinators (a replicated group when there are 3 or 5) and then
 * the workers, detached, and waits until the coordinators answer health checks and the workers have
 * joined.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Starts Colony on the hosts of a hosts file over ssh: coordinators first (n1, n2, ... in"
          + " the file's order, a replicated group when there are 3 or 5), then workers. Copies"
          + " this distribution to <remote-dir>/colony-<version> on a host that lacks it, and the"
          + " token and TLS files (mode 600). Each process runs detached, its pid file, log"
          + " (colony.log) and data in <remote-dir>/<role>-<address>. Waits until every"
          + " coordinator answers a health check and every worker has joined. A process already"
          + " running is left alone, so up may be run again after a failure.",
    },
    footer = {"%nExit codes: 0 all up; 1 failed (the reason is on stderr); 2 bad command line."})
final class ClusterUpCommand implements java.util.concurrent.Callable<Integer> {
  private static final Pattern JAVA_VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");

  @Spec CommandSpec spec;

  @Mixin ClusterHosts cluster;

  @Option(
      names = "--distribution",
      paramLabel = "FILE",
      description =
          "The colony-<version>.tar.gz to copy to hosts that lack it (default: the distribution"
              + " this command runs from).")
  Path distribution;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "120s",
      converter = DurationConverter.class,
      description =
          "How long to wait for the coordinators to serve and the workers to join (default:"
              + " ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    HostsFile file = cluster.file();
    List<RemoteHost> hosts = cluster.remoteHosts();
    List<RemoteHost> coordinators = ofRole(hosts, Role.COORDINATOR);
    List<RemoteHost> workers = ofRole(hosts, Role.WORKER);
    Path staging = Files.createTempDirectory("colony-cluster-secrets");
    try {
      Path coordinatorSecrets = stage(staging, "coordinator", coordinatorSecrets(file));
      Path workerSecrets = stage(staging, "worker", workerSecrets(file));
      // Once per machine: a host that runs a coordinator and a worker gets one copy.
      Map<String, RemoteHost> machines = new LinkedHashMap<>();
      hosts.forEach(h -> machines.putIfAbsent(h.host().address(), h));
      OnEachHost.run(List.copyOf(machines.values()), host -> prepare(host, file, out));
      // Coordinators first: a worker started before them would only retry until they listen.
      OnEachHost.run(
          coordinators,
          host ->
              started(
                  out,
                  host,
                  host.start(
                      coordinatorArguments(host.host(), file),
                      environment(file),
                      tarOf(coordinatorSecrets))));
      OnEachHost.run(
          workers,
          host ->
              started(
                  out,
                  host,
                  host.start(
                      workerArguments(host.host(), file),
                      environment(file),
                      tarOf(workerSecrets))));
    } finally {
      deleteTree(staging);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    OnEachHost.run(
        coordinators,
        host -> {
          String health = cluster.health(host.host(), remaining(deadline));
          if (!health.equals("SERVING")) {
            throw notUp(host, "its health check says " + health);
          }
          return say(out, host.host(), "SERVING on " + cluster.clientAddress(host.host()));
        });
    OnEachHost.run(
        workers,
        host -> {
          if (!host.awaitLogLine(" connected to ", remaining(deadline))) {
            throw notUp(host, "it has not joined a coordinator");
          }
          return say(out, host.host(), "joined");
        });
    synchronized (out) {
      out.println(
          "Colony is up: "
              + coordinators.size()
              + " coordinator(s), "
              + workers.size()
              + " worker(s). Clients: --coordinator "
              + cluster.coordinatorTarget()
              + " with the token"
              + (file.settings().containsKey("tls-cert") ? " and TLS" : "")
              + ". `colony cluster status --hosts "
              + cluster.file
              + "` shows them, `colony cluster down --hosts "
              + cluster.file
              + "` stops them.");
      out.flush();
    }
    return ExitCodes.OK;
  }

  private static List<RemoteHost> ofRole(List<RemoteHost> hosts, Role role) {
    return hosts.stream().filter(h -> h.host().role() == role).toList();
  }

  private static Map<String, Path> coordinatorSecrets(HostsFile file) {
    Map<String, Path> secrets = new LinkedHashMap<>();
    secrets.put("token", file.path("token-file").orElseThrow());
    file.path("tls-cert").ifPresent(p -> secrets.put("tls.crt", p));
    file.path("tls-key").ifPresent(p -> secrets.put("tls.key", p));
    return secrets;
  }

  private static Map<String, Path> workerSecrets(HostsFile file) {
    Map<String, Path> secrets = new LinkedHashMap<>();
    secrets.put(
        "token", file.path("worker-token-file").or(() -> file.path("token-file")).orElseThrow());
    file.path("tls-ca").ifPresent(p -> secrets.put("ca.crt", p));
    return secrets;
  }

  /** Copies {@code secrets} under the names the processes read them by, in a private folder. */
  private static Path stage(Path staging, String role, Map<String, Path> secrets)
      throws IOException {
    Path folder =
        Files.createDirectory(
            staging.resolve(role),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    for (Map.Entry<String, Path> secret : secrets.entrySet()) {
      Files.copy(secret.getValue(), folder.resolve(secret.getKey()));
    }
    return folder;
  }

  private static List<String> tarOf(Path folder) {
    return List.of("tar", "-cf", "-", "-C", folder.toString(), ".");
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static Long started(PrintWriter out, RemoteHost host, long pid) {
    say(out, host.host(), "running, pid " + pid);
    return pid;
  }

  /** Java and the distribution on the host. */
  private Void prepare(RemoteHost host, HostsFile file, PrintWriter out) {
    Ssh.Result probe = host.probe(file.settings().get("java-home"));
    String where = host.host().address();
    if (probe.value("JAVA").isEmpty()) {
      throw new CommandFailedException(
          ExitCodes.ERROR,
          where
              + " has no java"
              + file.path("java-home").map(h -> " in " + h).orElse(" on the PATH of an ssh login")
              + ": install Java 17 or newer there (Debian: apt-get install"
              + " openjdk-17-jre-headless), or name it with java-home in the hosts file");
    }
    String javaVersion = probe.value("JAVA_VERSION").orElse("");
    Matcher version = JAVA_VERSION.matcher(javaVersion);
    if (version.find() && Integer.parseInt(version.group(2)) < 17) {
      throw new CommandFailedException(
          ExitCodes.ERROR,
          where
              + " has "
              + javaVersion
              + "; Colony needs Java 17 or newer (install one, and name it with java-home in the"
              + " hosts file if it is not the default)");
    }
    if (probe.value("COLONY").orElse("no").equals("no")) {
      if (host.install(tarballFeeder())) {
        say(out, host.host(), "copied colony " + ClusterHosts.version());
      }
    }
    return null;
  }

  private List<String> coordinatorArguments(Host host, HostsFile file) {
    List<List<String>> ours = new ArrayList<>();
    ours.add(List.of("coordinator"));
    // Bound to the address the others use: a name that resolves to loopback fails at once.
    ours.add(List.of("--host", host.address()));
    ours.add(List.of("--port", String.valueOf(file.port("port", ClusterHosts.DEFAULT_PORT))));
    ours.add(List.of("--data-dir", "data"));
    ours.add(List.of("--token-file", "secrets/token"));
    if (file.settings().containsKey("tls-cert")) {
      ours.add(List.of("--tls-cert", "secrets/tls.crt"));
      ours.add(List.of("--tls-key", "secrets/tls.key"));
    }
    if (cluster.isGroup()) {
      ours.add(List.of("--node-id", cluster.nodeId(host)));
      ours.add(List.of("--peers", cluster.peers()));
    }
    return RemoteHost.withDefaults(ours, host.options());
  }

  private List<String> workerArguments(Host host, HostsFile file) {
    List<List<String>> ours = new ArrayList<>();
    ours.add(List.of("worker"));
    ours.add(List.of("--coordinator", cluster.coordinatorTarget()));
    ours.add(List.of("--token-file", "secrets/token"));
    ours.add(List.of("--name", host.address()));
    if (file.settings().containsKey("tls-ca")) {
      ours.add(List.of("--tls-ca", "secrets/ca.crt"));
    } else if (file.settings().containsKey("tls-cert")) {
      ours.add(List.of("--tls"));
    }
    return RemoteHost.withDefaults(ours, host.options());
  }

  private static Map<String, String> environment(HostsFile file) {
    Map<String, String> environment = new LinkedHashMap<>();
    Optional.ofNullable(file.settings().get("java-home"))
        .ifPresent(h -> environment.put("JAVA_HOME", h));
    Optional.ofNullable(file.settings().get("java-options"))
        .ifPresent(o -> environment.put("COLONY_JAVA_OPTS", o));
    return environment;
  }

  /**
   * The local command whose output is the distribution tarball: cat of {@code --distribution}, or
   * tar of the distribution this command runs from (without a startup archive made for its path).
   */
  private List<String> tarballFeeder() {
    if (distribution != null) {
      if (!Files.isReadable(distribution)) {
        throw new CommandFailedException(
            ExitCodes.USAGE, "--distribution " + distribution + " is not a readable file");
      }
      return List.of("cat", distribution.toString());
    }
    Path home = runningDistribution();
    return List.of(
        "tar",
        "-czf",
        "-",
        "--exclude=colony.jsa",
        "-C",
        home.getParent().toString(),
        home.getFileName() + "/bin",
        home.getFileName() + "/lib",
        home.getFileName() + "/README.md",
        home.getFileName() + "/config.sample");
  }

  /** The unpacked distribution this JVM runs from: the folder above lib/colony.jar. */
  private static Path runningDistribution() {
    Path jar;
    try {
      jar =
          Path.of(ColonyCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      jar = Path.of("unknown");
    }
    Path lib = jar.getParent();
    Path home = lib == null ? null : lib.getParent();
    if (home == null
        || !lib.getFileName().toString().equals("lib")
        || !Files.isRegularFile(home.resolve("bin/colony"))) {
      throw new CommandFailedException(
          ExitCodes.USAGE,
          "this colony does not run from an unpacked distribution ("
              + jar
              + "), so there is nothing to copy to hosts that lack it: name the tarball with"
              + " --distribution cli/target/colony-"
              + ClusterHosts.version()
              + ".tar.gz");
    }
    return home;
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private CommandFailedException notUp(RemoteHost host, String why) {
    return new CommandFailedException(
        ExitCodes.ERROR,
        host.host()
            + " is not up within "
            + timeout.toSeconds()
            + " s: "
            + why
            + ". The end of its log ("
            + host.host().folder(cluster.file().setting("remote-dir", "colony"))
            + "/"
            + RemoteHost.LOG
            + "):\n"
            + host.logTail()
            + "\n`colony cluster down --hosts "
            + cluster.file
            + "` stops what did start.");
  }

  private static Void say(PrintWriter out, Host host, String what) {
    synchronized (out) {
      out.println(host + ": " + what);
      out.flush();
    }
    return null;
  }
}
