package dev.colony.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network of Linux network namespaces, so a test can cut real TCP links between
 * processes: a bridge in the root namespace with address {@code 10.77.X.1/24}, and N namespaces
 * each joined to it by a veth pair, with address {@code 10.77.X.(i+1)} (i = 1..N) and loopback up.
 * Processes started with {@link #exec(int)} as their command prefix run inside namespace i; the
 * test JVM and anything else in the root namespace reach every namespace through the bridge.
 *
 * <p>{@link #cut} adds blackhole routes: the two sides then drop what they send each other,
 * established connections stall and new ones fail, while both still reach the root namespace (the
 * clients). {@link #heal} deletes the routes. Only iproute2 ({@code ip}) is used.
 *
 * <p>Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN); {@link #unsupportedReason()} says why not, for a
 * test to skip. Names carry a random tag and the test JVM's pid, and X is picked among subnets no
 * interface or route uses, so runs in parallel do not clash. {@link #close()} removes it all; a
 * shutdown hook does so if the JVM exits first, and {@link #create} removes what runs whose JVM is
 * gone left behind.
 */
public final class TestNetwork implements AutoCloseable {
  private static final String IP = "ip";
  private static final String PREFIX = "colony-it-";
  private static final Pattern OURS = Pattern.compile(PREFIX + "([0-9a-f]{6})-(\\d+)-n\\d+");
  private static final long COMMAND_TIMEOUT_SECONDS = 30;
  private static final Set<TestNetwork> OPEN = ConcurrentHashMap.newKeySet();
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> List.copyOf(OPEN).forEach(TestNetwork::close), "colony-it-netns"));
  }

  private final String tag;
  private final String subnet;
  private final int size;
  private final Set<List<String>> routes = new LinkedHashSet<>();
  private final List<String> namespaces = new ArrayList<>();
  private boolean bridgeCreated;

  private TestNetwork(String tag, String subnet, int size) {
    this.tag = tag;
    this.subnet = subnet;
    this.size = size;
  }

  /**
   * Null if this machine lets the test create network namespaces, else why not (not root, no {@code
   * ip}, namespaces not permitted in this container...).
   */
  public static String unsupportedReason() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return "network namespaces need Linux";
    }
    String probe = PREFIX + "probe-" + ProcessHandle.current().pid();
    try {
      Result added = run(List.of(IP, "netns", "add", probe));
      if (added.code != 0) {
        return "cannot create a network namespace ('ip netns add' as "
            + System.getProperty("user.name")
            + " said: "
            + added.output.strip()
            + "); the test needs root and iproute2";
      }
      run(List.of(IP, "netns", "del", probe));
      return null;
    } catch (IOException e) {
      return "cannot run 'ip' (iproute2): " + e.getMessage();
    }
  }

  /** Creates the bridge and {@code size} namespaces; on failure removes what it made. */
  public static TestNetwork create(int size) throws IOException {
    removeLeftovers();
    String tag = HexFormat.of().formatHex(randomBytes(3));
    TestNetwork network = new TestNetwork(tag, freeSubnet(), size);
    OPEN.add(network);
    try {
      network.build();
    } catch (IOException | RuntimeException e) {
      network.close();
      throw e;
    }
    return network;
  }

  private void build() throws IOException {
    String bridge = bridge();
    must(IP, "link", "add", bridge, "type", "bridge");
    bridgeCreated = true;
    must(IP, "addr", "add", subnet + ".1/24", "dev", bridge);
    must(IP, "link", "set", bridge, "up");
    for (int i = 1; i <= size; i++) {
      String ns = namespace(i);
      must(IP, "netns", "add", ns);
      namespaces.add(ns);
      // The outer end stays in the root namespace on the bridge; the inner end moves into ns.
      String outer = outerDevice(i);
      String inner = innerDevice(i);
      must(IP, "link", "add", outer, "type", "veth", "peer", "name", inner);
      must(IP, "link", "set", inner, "netns", ns);
      must(IP, "link", "set", outer, "master", bridge, "up");
      must(IP, "-n", ns, "addr", "add", address(i) + "/24", "dev", inner);
      must(IP, "-n", ns, "link", "set", inner, "up");
      must(IP, "-n", ns, "link", "set", "lo", "up");
    }
  }

  /** How many namespaces the network has. */
  public int size() {
    return size;
  }

  /** The address of namespace {@code i} (1..size), as the others and the root namespace see it. */
  public String address(int i) {
    if (i < 1 || i > size) {
      throw new IllegalArgumentException("no namespace " + i + " in a network of " + size);
    }
    return subnet + "." + (i + 1);
  }

  /** The name of namespace {@code i}. */
  public String namespace(int i) {
    return PREFIX + tag + "-" + ProcessHandle.current().pid() + "-n" + i;
  }

  /** The command prefix that runs a program inside namespace {@code i}. */
  public List<String> exec(int i) {
    return List.of(IP, "netns", "exec", namespace(i));
  }

  /**
   * Cuts namespace {@code i} off from each of {@code others} (both directions), leaving every link
   * to the root namespace as it was.
   */
  public synchronized void cut(int i, int... others) throws IOException {
    for (int other : others) {
      blackhole(i, other);
      blackhole(other, i);
    }
  }

  /**
   * Takes namespace {@code i}'s link down (the outer end of its veth pair, on the bridge): like a
   * pulled cable, it then reaches nothing and nothing reaches it, the root namespace included.
   */
  public synchronized void linkDown(int i) throws IOException {
    must(IP, "link", "set", outerDevice(i), "down");
  }

  /** Brings namespace {@code i}'s link back after {@link #linkDown}. */
  public synchronized void linkUp(int i) throws IOException {
    must(IP, "link", "set", outerDevice(i), "up");
  }

  /**
   * The network interface of namespace {@code i} (inside it), e.g. for a {@code tc} rule there:
   * {@code exec(i) + tc qdisc add dev <this> root netem delay 20ms}.
   */
  public String innerDevice(int i) {
    return "colp" + tag + i;
  }

  private String outerDevice(int i) {
    return "colv" + tag + i;
  }

  /** Deletes every route {@link #cut} added. */
  public synchronized void heal() throws IOException {
    for (List<String> route : List.copyOf(routes)) {
      must(IP, "-n", route.get(0), "route", "del", "blackhole", route.get(1));
      routes.remove(route);
    }
  }

  private void blackhole(int from, int to) throws IOException {
    List<String> route = List.of(namespace(from), address(to) + "/32");
    if (routes.add(route)) {
      must(IP, "-n", route.get(0), "route", "add", "blackhole", route.get(1));
    }
  }

  /**
   * Kills what still runs in the namespaces (each was made by this network's test, so is the
   * test's; a process left there would keep its namespace alive), then removes the namespaces (and
   * with them the veth pairs) and the bridge; never throws.
   */
  @Override
  public synchronized void close() {
    for (String ns : namespaces) {
      killProcessesIn(ns);
      quietly(IP, "netns", "del", ns);
    }
    namespaces.clear();
    if (bridgeCreated) {
      quietly(IP, "link", "del", bridge());
      bridgeCreated = false;
    }
    OPEN.remove(this);
  }

  @Override
  public String toString() {
    return "TestNetwork(" + subnet + ".0/24, bridge " + bridge() + ", " + size + " namespaces)";
  }

  private static void killProcessesIn(String ns) {
    try {
      for (String pid : run(List.of(IP, "netns", "pids", ns)).output.split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Cleanup goes on; the namespace is deleted all the same.
    }
  }

  /** The pids of the processes running in namespace {@code i}. */
  public List<Long> processesIn(int i) throws IOException {
    List<Long> pids = new ArrayList<>();
    for (String pid : run(List.of(IP, "netns", "pids", namespace(i))).output.split("\\s+")) {
      if (!pid.isBlank()) {
        pids.add(Long.parseLong(pid.strip()));
      }
    }
    return pids;
  }

  /**
   * Runs {@code command} (its words after {@link #exec}) in namespace {@code i} to its end,
   * bounded; fails with its output if it fails.
   */
  public void execute(int i, String... command) throws IOException {
    List<String> full = new ArrayList<>(exec(i));
    full.addAll(List.of(command));
    must(full.toArray(String[]::new));
  }

  private String bridge() {
    return bridgeOf(tag);
  }

  private static String bridgeOf(String tag) {
    return "colbr" + tag; // interface names have at most 15 characters
  }

  /**
   * Namespaces (and their bridges) of runs whose JVM is gone: a killed test JVM runs no hooks.
   * Those of live JVMs (parallel runs) are left alone.
   */
  private static void removeLeftovers() throws IOException {
    Result list = run(List.of(IP, "netns", "list"));
    Set<String> deadTags = new LinkedHashSet<>();
    for (String line : list.output.split("\n")) {
      String name = line.strip().split("\\s+")[0];
      Matcher m = OURS.matcher(name);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
        quietly(IP, "netns", "del", name);
        deadTags.add(m.group(1));
      }
    }
    for (String tag : deadTags) {
      quietly(IP, "link", "del", bridgeOf(tag));
    }
  }

  /** A 10.77.X subnet that no address or route of the root namespace mentions. */
  private static String freeSubnet() throws IOException {
    String taken = run(List.of(IP, "-4", "addr")).output + run(List.of(IP, "-4", "route")).output;
    for (int attempt = 0; attempt < 64; attempt++) {
      String subnet = "10.77." + RANDOM.nextInt(256);
      if (!taken.contains(subnet + ".")) {
        return subnet;
      }
    }
    throw new IOException(
        "no free 10.77.X.0/24 subnet in 64 tries; addresses and routes:\n" + taken);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void must(String... command) throws IOException {
    Result result = run(List.of(command));
    if (result.code != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (" + result.code + "): " + result.output.strip());
    }
  }

  private static void quietly(String... command) {
    try {
      run(List.of(command));
    } catch (IOException e) {
      // Cleanup goes on with the rest; whatever stays is removed by the next run's create.
    }
  }

  private record Result(int code, String output) {}

  private static Result run(List<String> command) throws IOException {
    // Output to a file, not a pipe: reading a pipe would wait on a hung command unbounded.
    Path output = Files.createTempFile("colony-it-ip", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      try {
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IOException(
              String.join(" ", command) + " still running after " + COMMAND_TIMEOUT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted: " + String.join(" ", command), e);
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
