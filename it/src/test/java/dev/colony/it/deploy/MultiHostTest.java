package dev.colony.it.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colony.client.ClientTls;
import dev.colony.client.Colony;
import dev.colony.client.ColonyChannels;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyQueue;
import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.it.deploy.tasks.HostWork;
import dev.colony.it.support.JavaProcess;
import dev.colony.it.support.SshDaemons;
import dev.colony.it.support.TestCertificates;
import dev.colony.it.support.TestNetwork;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.ClusterStatus;
import dev.colony.proto.v1.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five hosts on one machine: network namespaces on a bridge, each with its own address and its own
 * sshd. {@code colony cluster up}, run from the unpacked distribution, brings up a group of three
 * coordinators (hosts 1-3) and two workers (hosts 4-5) over ssh, with a token and TLS; the test
 * JVM, in the root namespace, is the client. Its pool runs a task shipped with the pool that also
 * works on a shared map, lock and queue.
 *
 * <p>Then, while maps run: worker host 5's link goes down (its tasks go back to the queue and
 * finish on host 4, each result once), and when it is back the worker takes work again; the leading
 * coordinator's link goes down (the other two elect a leader and the map completes); a 20 ms netem
 * delay on worker host 5 (everything completes; the throughput is printed). {@code colony cluster
 * down} then leaves no process but sshd on any host.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MultiHostTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(150);

  /** Bound on each wait; generous, for a machine busy with other builds. */
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static final int COORDINATORS = 3;
  private static final int WORKER_A = 4;
  private static final int WORKER_B = 5;
  private static final int SLOTS = 2;
  private static final String REMOTE_DIR = "remote";
  private static final AtomicInteger RUNS = new AtomicInteger();

  @TempDir Path dir;

  @Test
  void clusterUp_overSsh_survivesAWorkerCutALeaderCutAndDelay_thenClusterDownLeavesNothing()
      throws Exception {
    String noNetwork = TestNetwork.unsupportedReason();
    assumeTrue(noNetwork == null, () -> "skipped, network namespaces unavailable: " + noNetwork);
    String noSsh = SshDaemons.unsupportedReason();
    assumeTrue(noSsh == null, () -> "skipped, no OpenSSH: " + noSsh);
    Path tarball = ROOT.resolve("cli/target/colony-" + cliVersion() + ".tar.gz");
    assumeTrue(
        Files.isRegularFile(tarball),
        () -> "skipped: " + tarball + " is missing; mvn package (cli module) builds it");

    Path launcher = unpack(tarball);
    try (TestNetwork network = TestNetwork.create(5);
        SshDaemons sshd = SshDaemons.start(network, Files.createDirectories(dir.resolve("ssh")))) {
      Path hosts = writeHostsFile(network, sshd);
      boolean worked = false;
      try {
        Result up = colony(launcher, "cluster", "up", "--hosts", hosts.toString());
        System.out.println(up.output());
        assertEquals(0, up.exitCode(), "colony cluster up:\n" + up.output());
        Result status = colony(launcher, "cluster", "status", "--hosts", hosts.toString());
        System.out.println(status.output());
        assertEquals(0, status.exitCode(), "colony cluster status:\n" + status.output());

        runWorkThroughCuts(network);
        worked = true;
      } finally {
        // Also after a failure (with every link back up, for ssh), so that it is the launcher
        // that stops what it started; the network's close kills whatever it left.
        for (int i = 1; i <= network.size(); i++) {
          network.linkUp(i);
        }
        Result down = colony(launcher, "cluster", "down", "--hosts", hosts.toString());
        System.out.println(down.output());
        if (worked) {
          assertEquals(0, down.exitCode(), "colony cluster down:\n" + down.output());
        }
      }
      Set<Long> daemons = new HashSet<>(sshd.pids());
      for (int i = 1; i <= network.size(); i++) {
        int host = i;
        await("nothing but sshd left running on host " + host + " after colony cluster down")
            .atMost(WAIT)
            .until(() -> daemons.containsAll(withoutSessions(network.processesIn(host))));
      }
    }
  }

  private void runWorkThroughCuts(TestNetwork network) throws Exception {
    Path code = shippedCode();
    List<String> targets =
        IntStream.rangeClosed(1, COORDINATORS).mapToObj(i -> network.address(i) + ":7070").toList();
    try (ColonyClient client = Colony.connect(options(String.join(",", targets)))) {
      Pool pool =
          client.pool(
              PoolOptions.newBuilder()
                  .setCodeJar(code)
                  .setNoWorkerTimeout(Duration.ofSeconds(90))
                  .build());
      long pidA = workerPid(network, WORKER_A);
      long pidB = workerPid(network, WORKER_B);

      // 1. Worker host B's link goes down while it runs tasks of the map.
      int items = 16;
      FutureTask<List<HostWork.Done>> cutMap = inBackground(pool, "cut", items, 400, 0);
      await("worker host " + WORKER_B + " running a task of the map")
          .atMost(WAIT)
          .until(() -> client.map("cut.running", Integer.class, Long.class).containsValue(pidB));
      network.linkDown(WORKER_B);
      List<HostWork.Done> done = finish(cutMap, "the map with worker host B cut off");
      network.linkUp(WORKER_B);
      assertExactlyOnce(client, "cut", items, done);
      assertTrue(
          done.stream().anyMatch(d -> d.attempt() > 1 && d.workerPid() != pidB),
          () -> "a task of the cut-off worker ran again on the other: " + done);

      // Back on the network, B rejoins: these 4 tasks finish only if they run at the same time,
      // which needs both workers' 2 slots.
      List<HostWork.Done> together =
          finish(inBackground(pool, "rejoin", 2 * SLOTS, 0, 2 * SLOTS), "tasks on both workers");
      assertEquals(
          Set.of(pidA, pidB),
          together.stream().map(HostWork.Done::workerPid).collect(toSet()),
          "the workers that ran the rejoin map");

      // 2. The leading coordinator's host goes down while a map runs.
      int leader = leaderHost(network);
      // Its tasks use shared objects through their worker's session, which follows the leader.
      FutureTask<List<HostWork.Done>> leaderMap = inBackground(pool, "leader", items, 300, 0);
      network.linkDown(leader);
      List<HostWork.Done> afterLeaderCut = finish(leaderMap, "the map with the leader cut off");
      int newLeader = leaderHost(network);
      assertTrue(newLeader != leader, "host " + leader + " no longer leads");
      network.linkUp(leader);
      assertExactlyOnce(client, "leader", items, afterLeaderCut);
      System.out.println(
          "MultiHostTest: leader moved from host " + leader + " to host " + newLeader);

      // 3. 20 ms more on what worker host B sends. A kernel without the netem qdisc (some
      // containers' kernels lack sch_netem) cannot delay: the map then runs undelayed, and the
      // test says so rather than pretend.
      String delay = "20 ms netem delay";
      try {
        network.execute(
            WORKER_B,
            "tc",
            "qdisc",
            "add",
            "dev",
            network.innerDevice(WORKER_B),
            "root",
            "netem",
            "delay",
            "20ms");
      } catch (IOException e) {
        delay = "NO delay (netem unavailable: " + e.getMessage() + ")";
        System.out.println("MultiHostTest: " + delay);
      }
      int delayedItems = 40;
      long start = System.nanoTime();
      List<HostWork.Done> delayed =
          finish(inBackground(pool, "netem", delayedItems, 0, 0), "the map under netem delay");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertExactlyOnce(client, "netem", delayedItems, delayed);
      System.out.printf(
          "MultiHostTest: %d tasks (lock, counter, queue and map work each) with %s on worker"
              + " host %d: %.2f s, %.1f tasks/s (%d ran on that host)%n",
          delayedItems,
          delay,
          WORKER_B,
          seconds,
          delayedItems / seconds,
          delayed.stream().filter(d -> d.workerPid() == pidB).count());
    }
  }

  /** Each item's result once and right; the lock kept its counter exact; the queue has each. */
  private static void assertExactlyOnce(
      ColonyClient client, String run, int items, List<HostWork.Done> done)
      throws InterruptedException {
    assertEquals(
        IntStream.range(0, items).boxed().toList(),
        done.stream().map(HostWork.Done::n).toList(),
        run + ": one result per item, in order");
    for (HostWork.Done each : done) {
      assertEquals((long) each.n() * each.n(), each.square(), run + ": square of " + each.n());
    }
    long executions =
        client.map(run + ".executions", Integer.class, Long.class).values().stream()
            .mapToLong(Long::longValue)
            .sum();
    long underLock = client.atomicLong(run + ".underLock").get();
    // A task that ran again after its worker was lost may have counted twice, but no update of
    // the counter under the lock may be lost.
    assertTrue(
        underLock >= items && underLock <= executions,
        () -> run + ": " + underLock + " counted under the lock, " + executions + " executions");
    ColonyQueue<Integer> out = client.queue(run + ".out", Integer.class);
    Set<Integer> queued = new HashSet<>();
    for (Integer n = out.poll(); n != null; n = out.poll()) {
      queued.add(n);
    }
    assertEquals(
        IntStream.range(0, items).boxed().collect(toSet()), queued, run + ": items queued");
  }

  private static <T> java.util.stream.Collector<T, ?, Set<T>> toSet() {
    return java.util.stream.Collectors.toSet();
  }

  private static FutureTask<List<HostWork.Done>> inBackground(
      Pool pool, String run, int items, long millis, int together) {
    List<HostWork.Job> jobs =
        IntStream.range(0, items)
            .mapToObj(n -> new HostWork.Job(run, n, millis, together))
            .toList();
    FutureTask<List<HostWork.Done>> task = new FutureTask<>(() -> pool.map(HostWork.class, jobs));
    Thread thread = new Thread(task, "map-" + run);
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  private static <T> T finish(FutureTask<T> task, String what)
      throws InterruptedException, ExecutionException {
    try {
      return task.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new AssertionError(what + " did not finish within " + WAIT, e);
    }
  }

  /** The host (1..3) of the coordinator that says it leads, asked on each reachable one. */
  private int leaderHost(TestNetwork network) {
    int[] leader = new int[1];
    await("a coordinator host that leads")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              for (int i = 1; i <= COORDINATORS; i++) {
                ClusterStatus cluster = cluster(network.address(i) + ":7070");
                if (cluster != null && cluster.getLeaderId().equals("n" + i)) {
                  leader[0] = i;
                  return true;
                }
              }
              return false;
            });
    return leader[0];
  }

  /** What the coordinator at {@code target} says of the group, or null if it does not answer. */
  private ClusterStatus cluster(String target) {
    ManagedChannel channel = ColonyChannels.newChannelBuilder(options(target)).build();
    try {
      return AdminServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(2, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance())
          .getCluster();
    } catch (StatusRuntimeException refusedOrDown) {
      return null;
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * The test client's options, with the default lease (10 s): a leader whose link goes down answers
   * nothing, and the client must notice (keepalive, 3 s then 2 s without an answer) and find the
   * new leader within the lease the new leader restarted when it took over.
   */
  private ColonyOptions options(String target) {
    return ColonyOptions.newBuilder()
        .setTarget(target)
        .setTokenFile(dir.resolve("colony.token"))
        .setTls(ClientTls.trusting(dir.resolve("ca.crt")))
        .build();
  }

  /** The pid the launcher recorded for the worker on {@code host} (the hosts share this disk). */
  private long workerPid(TestNetwork network, int host) throws IOException {
    Path folder = dir.resolve(REMOTE_DIR).resolve("worker-" + network.address(host));
    return Long.parseLong(Files.readString(folder.resolve("colony.pid")).strip());
  }

  /**
   * The hosts file: root login with the test's key, known host keys checked strictly, the test's
   * Java, a token and TLS (a CA, and a certificate that names the coordinator hosts' addresses),
   * three coordinators and two workers that run code shipped by clients.
   */
  private Path writeHostsFile(TestNetwork network, SshDaemons sshd) throws IOException {
    Files.writeString(dir.resolve("colony.token"), "multi-host-test-token\n");
    List<String> coordinators =
        IntStream.rangeClosed(1, COORDINATORS).mapToObj(network::address).toList();
    TestCertificates ca = TestCertificates.newCa(dir, "ca");
    TestCertificates server = ca.issue("coordinator", coordinators);
    List<String> lines = new ArrayList<>();
    lines.add("# written by MultiHostTest");
    lines.add("ssh-user root");
    lines.add("ssh-identity " + sshd.identity());
    lines.add("ssh-option UserKnownHostsFile=" + sshd.knownHosts());
    lines.add("ssh-option StrictHostKeyChecking=yes");
    lines.add("remote-dir " + dir.resolve(REMOTE_DIR));
    lines.add("java-home " + System.getProperty("java.home"));
    lines.add("java-options " + String.join(" ", JavaProcess.CHILD_JVM_OPTIONS));
    lines.add("token-file colony.token");
    lines.add("tls-cert " + server.certificatePem().getFileName());
    lines.add("tls-key " + server.keyPem().getFileName());
    lines.add("tls-ca " + ca.certificatePem().getFileName());
    for (String address : coordinators) {
      lines.add("coordinator " + address + " --sync batch --no-http");
    }
    for (int i = WORKER_A; i <= WORKER_B; i++) {
      lines.add(
          "worker "
              + network.address(i)
              + " --slots "
              + SLOTS
              + " --allow-code-from-clients --allow-tasks 'dev.colony.it.deploy.tasks.*'");
    }
    Path file = dir.resolve("hosts.txt");
    Files.write(file, lines);
    return file;
  }

  /** The task classes alone, in a folder the pool zips and ships to the workers. */
  private Path shippedCode() throws IOException, URISyntaxException {
    Path classes =
        Path.of(HostWork.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String packagePath = HostWork.class.getPackageName().replace('.', '/');
    Path target = Files.createDirectories(dir.resolve("code").resolve(packagePath));
    try (Stream<Path> files = Files.list(classes.resolve(packagePath))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    return dir.resolve("code");
  }

  /**
   * The pids of {@code pids} that are not sshd's login sessions (children of a daemon that end with
   * their ssh call).
   */
  private static List<Long> withoutSessions(List<Long> pids) {
    return pids.stream()
        .filter(
            pid ->
                ProcessHandle.of(pid)
                    .flatMap(p -> p.info().command())
                    .map(c -> !c.endsWith("/sshd"))
                    .orElse(false))
        .toList();
  }

  private Path unpack(Path tarball) throws Exception {
    Path unpacked = Files.createDirectories(dir.resolve("dist"));
    Result tar = run(List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()));
    assertEquals(0, tar.exitCode(), "tar -xzf: " + tar.output());
    return unpacked.resolve("colony-" + cliVersion()).resolve("bin/colony");
  }

  private Result colony(Path launcher, String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(arguments));
    return run(command);
  }

  private record Result(int exitCode, String output) {}

  /**
   * Runs {@code command} with a host's plain environment (Java, ssh and tar on the PATH, no Colony
   * settings), to its end within the timeout; output to a file, so a hung command cannot block the
   * read.
   */
  private Result run(List<String> command) throws IOException, InterruptedException {
    // Kept after the run, beside the other processes' logs, to see what a failed step said.
    Path output =
        JavaProcess.logDirectory()
            .resolve(
                "multi-host-"
                    + RUNS.incrementAndGet()
                    + "-"
                    + Path.of(command.get(0)).getFileName()
                    + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", "/usr/bin:/bin");
    environment.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("COLONY_JAVA_OPTS", String.join(" ", JavaProcess.CHILD_JVM_OPTIONS));
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            command + " still running after " + COMMAND_TIMEOUT + ": " + Files.readString(output));
      }
      return new Result(process.exitValue(), Files.readString(output));
    } finally {
      process.destroyForcibly();
    }
  }

  private static String cliVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        dev.colony.cli.ColonyCommand.class.getResourceAsStream("version.properties")) {
      properties.load(in);
    }
    return properties.getProperty("version");
  }
}
