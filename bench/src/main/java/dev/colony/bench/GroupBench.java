package dev.colony.bench;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.ClusterStatus;
import dev.colony.proto.v1.StatusRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * {@code colony bench --group}: a replicated group of three coordinators ({@code colony coordinator
 * --node-id nI --peers ... --data-dir DIR/nI}, default settings otherwise; child JVMs as for the
 * other rows), measured in one run:
 *
 * <ol>
 *   <li>failover: while one client increments a counter, one call at a time, the leader is
 *       SIGKILLed; the time from the kill to the acknowledgement of the first increment started
 *       after it (target: under 3 s). The killed node is started again on its directory and ports
 *       and catches up before the next kill;
 *   <li>throughput: counter increments from the same concurrent clients against a single durable
 *       coordinator ({@code --data-dir}) and against the group, side by side, and their ratio.
 * </ol>
 */
final class GroupBench {
  /** Kill to the first acknowledged write, target: under this. */
  static final double FAILOVER_TARGET_SECONDS = 3.0;

  static final int NODES = 3;

  /** Threads per client of the second comparison, as in --durability. */
  private static final int PIPELINED_THREADS = 8;

  /** Elections wait 1 to 2 s of silence; a loaded machine may need a few rounds. */
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern LISTENING = Pattern.compile("Colony coordinator listening on ");

  private final DurabilityParams params;
  private final int kills;
  private final String launcherMain;
  private final Path logs;
  private final Path dataRoot;
  private final PrintWriter out;
  private final List<String> errors = new ArrayList<>();
  private final String run = Long.toString(System.nanoTime(), 36);

  GroupBench(
      DurabilityParams params,
      int kills,
      String launcherMain,
      Path logs,
      Path dataRoot,
      PrintWriter out) {
    this.params = params;
    this.kills = kills;
    this.launcherMain = launcherMain;
    this.logs = logs;
    this.dataRoot = dataRoot;
    this.out = out;
  }

  /** What the run found, as JSON; failures are in {@code errors}. */
  Map<String, Object> run() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("started_utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    long t0 = System.nanoTime();
    // One group for both measurements: after the kills it is three caught-up nodes again, and
    // starting another would cost three JVM starts and an election for nothing.
    Path dir = dataRoot.resolve("group-" + run);
    Map<String, Object> groupThroughput = new LinkedHashMap<>();
    try (Group group = Group.start(launcherMain, logs, dir, "group", List.of())) {
      report.put("failover", phase("failover", figures -> failover(group, dir, figures)));
      groupThroughput = phase("throughput", figures -> groupThroughput(group, figures));
    } catch (Exception e) {
      errors.add("group: " + e);
      out.println("   the group FAILED: " + e);
    } finally {
      try {
        DataDir.delete(dir);
      } catch (IOException e) {
        errors.add("group: cannot delete " + dir + ": " + e);
      }
    }
    Map<String, Object> onGroup = groupThroughput;
    report.put("throughput", phase("throughput", figures -> throughput(onGroup, figures)));
    report.put("wall_seconds", Percentiles.round1((System.nanoTime() - t0) / 1e9));
    report.put("errors", List.copyOf(errors));
    return report;
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  @FunctionalInterface
  private interface Phase {
    void run(Map<String, Object> figures) throws Exception;
  }

  private Map<String, Object> phase(String name, Phase phase) {
    Map<String, Object> figures = new LinkedHashMap<>();
    try {
      phase.run(figures);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add(name + ": interrupted");
    } catch (Exception | AssertionError e) {
      errors.add(name + ": " + e);
      out.println("   " + name + " FAILED: " + e);
      figures.put("error", e.toString());
    }
    out.println();
    out.flush();
    return figures;
  }

  // 1. Failover.

  private void failover(Group group, Path dir, Map<String, Object> figures) throws Exception {
    out.printf(
        Locale.ROOT,
        "1. Failover: one client increments a counter, one call at a time, on a group of %d"
            + " (default settings, data in %s); the leader is SIGKILLed %d time(s), each time"
            + " started again and caught up before the next%n",
        NODES,
        dir,
        kills);
    out.flush();
    String counterName = "bench.group.failover." + run;
    List<Double> seconds = new ArrayList<>();
    Writer writer;
    try (ColonyClient client = DurabilityBench.connect(group.targets())) {
      writer = new Writer(client.atomicLong(counterName));
      Thread thread = new Thread(writer, "bench-failover-writer");
      thread.setDaemon(true);
      thread.start();
      try {
        for (int k = 1; k <= kills; k++) {
          writer.awaitAcked(writer.acked() + 100, START_TIMEOUT, "increments before kill " + k);
          String leader = group.awaitLeader();
          long killed = writer.killNow();
          group.kill(leader);
          long firstWrite = writer.awaitFirstAfterKill(LEADER_TIMEOUT);
          double s = (firstWrite - killed) / 1e9;
          seconds.add(s);
          String next = group.awaitLeader();
          out.printf(
              Locale.ROOT,
              "   kill %d: leader %s SIGKILLed, first increment acknowledged %.2f s later (new"
                  + " leader %s)%n",
              k,
              leader,
              s,
              next);
          out.flush();
          group.restart(leader);
          group.awaitCaughtUp(leader);
        }
      } finally {
        writer.stop();
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
      if (writer.failure() != null) {
        throw new IllegalStateException("an increment failed", writer.failure());
      }
      long value = client.atomicLong(counterName).get();
      out.printf(
          Locale.ROOT,
          "   counter: %,d after %,d acknowledged increments%n",
          value,
          writer.acked());
      figures.put("acknowledged_increments", writer.acked());
      figures.put("counter", value);
      if (value != writer.acked()) {
        throw new IllegalStateException(
            "the counter reads " + value + ", not the " + writer.acked() + " acknowledged");
      }
    }
    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted[sorted.length / 2];
    double max = sorted[sorted.length - 1];
    boolean met = max < FAILOVER_TARGET_SECONDS;
    out.printf(
        Locale.ROOT,
        "   kill to first acknowledged write: median %.2f s, max %.2f s over %d kill(s); target"
            + " under %.0f s: %s%n",
        median,
        max,
        sorted.length,
        FAILOVER_TARGET_SECONDS,
        met ? "met" : "NOT MET");
    figures.put("kill_to_first_write_seconds", seconds.stream().map(Percentiles::round3).toList());
    figures.put("median_seconds", Percentiles.round3(median));
    figures.put("max_seconds", Percentiles.round3(max));
    figures.put("target_seconds", FAILOVER_TARGET_SECONDS);
    figures.put("target_met", met);
  }

  /**
   * Increments one counter, one call at a time, until stopped; after {@link #killNow()} it notes
   * when the first increment started after the kill was acknowledged.
   */
  private static final class Writer implements Runnable {
    private final ColonyAtomicLong counter;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile long killedAt;
    private volatile long firstAfterKill;

    Writer(ColonyAtomicLong counter) {
      this.counter = counter;
    }

    @Override
    public void run() {
      try {
        while (!stopping) {
          long invoked = System.nanoTime();
          long killed = killedAt;
          counter.incrementAndGet();
          long done = System.nanoTime();
          acked.incrementAndGet();
          if (killed != 0 && invoked >= killed) {
            synchronized (this) {
              if (firstAfterKill == 0 && killedAt == killed) {
                firstAfterKill = done;
                notifyAll();
              }
            }
          }
          synchronized (this) {
            notifyAll();
          }
        }
      } catch (Throwable t) {
        failure.set(t);
        synchronized (this) {
          notifyAll();
        }
      }
    }

    long acked() {
      return acked.get();
    }

    Throwable failure() {
      return failure.get();
    }

    /** The kill's moment: taken just before the signal, so the figure errs on the long side. */
    synchronized long killNow() {
      firstAfterKill = 0;
      killedAt = System.nanoTime();
      return killedAt;
    }

    synchronized long awaitFirstAfterKill(Duration timeout)
        throws InterruptedException, TimeoutException {
      await(() -> firstAfterKill != 0, timeout, "the first increment after the kill");
      return firstAfterKill;
    }

    synchronized void awaitAcked(long count, Duration timeout, String what)
        throws InterruptedException, TimeoutException {
      await(() -> acked.get() >= count, timeout, count + " " + what);
    }

    private void await(java.util.function.BooleanSupplier done, Duration timeout, String what)
        throws InterruptedException, TimeoutException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.getAsBoolean()) {
        if (failure.get() != null) {
          throw new IllegalStateException("an increment failed", failure.get());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("no " + what + " within " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    void stop() {
      stopping = true;
    }
  }

  // 2. Group against a single durable coordinator.

  /** The group's rows, measured while the group of the failover runs; keyed like figures. */
  private void groupThroughput(Group group, Map<String, Object> figures) throws Exception {
    group.awaitLeader();
    figures.put("synchronous", row("group of " + NODES, increments(group.targets(), 1)));
    figures.put(
        "pipelined", row("group of " + NODES, increments(group.targets(), PIPELINED_THREADS)));
  }

  @SuppressWarnings("unchecked")
  private void throughput(Map<String, Object> onGroup, Map<String, Object> figures)
      throws Exception {
    out.printf(
        Locale.ROOT,
        "2. Group of %d (the one above, measured first) against one durable coordinator"
            + " (--data-dir), default settings each: incrementAndGet() on one counter from %d"
            + " clients (own connection each), %,d timed per thread after %,d warm-up; first one"
            + " thread per client, then %d%n",
        NODES,
        params.clients(),
        params.count(),
        params.warmup(),
        PIPELINED_THREADS);
    out.flush();
    if (!onGroup.containsKey("pipelined")) {
      throw new IllegalStateException("the group was not measured: " + onGroup.get("error"));
    }
    List<Map<String, Object>> synchronous = new ArrayList<>();
    List<Map<String, Object>> pipelined = new ArrayList<>();
    Path single = dataRoot.resolve("throughput-single-" + run);
    try {
      ProcessCluster.Coordinator coordinator =
          ProcessCluster.startCoordinator(
              launcherMain,
              logs,
              "group-throughput-single",
              List.of("--data-dir", single.toString()));
      try {
        synchronous.add(row("one durable node", increments(coordinator.target(), 1)));
        pipelined.add(row("one durable node", increments(coordinator.target(), PIPELINED_THREADS)));
      } finally {
        coordinator.jvm().close();
      }
    } finally {
      DataDir.delete(single);
    }
    synchronous.add((Map<String, Object>) onGroup.get("synchronous"));
    pipelined.add((Map<String, Object>) onGroup.get("pipelined"));
    out.printf(
        Locale.ROOT,
        "   %d clients x 1 thread (%d calls in flight):%n",
        params.clients(),
        params.clients());
    printRows(synchronous);
    out.printf(
        Locale.ROOT,
        "   %d clients x %d threads (%d calls in flight):%n",
        params.clients(),
        PIPELINED_THREADS,
        params.clients() * PIPELINED_THREADS);
    printRows(pipelined);
    figures.put("rows", synchronous);
    figures.put("pipelined_rows", pipelined);
    figures.put("pipelined_threads_per_client", PIPELINED_THREADS);
  }

  private ConcurrentLoad.Result increments(String target, int threads) throws Exception {
    return DurabilityBench.counterIncrements(
        params, target, threads, "bench.group.throughput." + run);
  }

  private Map<String, Object> row(String coordinator, ConcurrentLoad.Result result) {
    return DurabilityBench.counterRow(params, coordinator, result);
  }

  /** Prints the single node's row and the group's, with the group's ratio to the single node. */
  private void printRows(List<Map<String, Object>> rows) {
    out.print(DurabilityBench.ratioTable(rows, "one node", "ratio_to_one_node"));
    out.printf(
        Locale.ROOT,
        "   group of %d / one durable node = %.2fx%n",
        NODES,
        (Double) rows.get(1).get("ratio_to_one_node"));
    if (rows.stream().anyMatch(r -> Boolean.TRUE.equals(r.get("truncated")))) {
      out.println("   † truncated at its time cap (--max-seconds)");
    }
  }

  /**
   * Three coordinator JVMs as one group on loopback, each on fixed client and Raft ports so that a
   * node started again after a kill is where the clients and the other nodes know it.
   */
  static final class Group implements AutoCloseable {
    private final String launcherMain;
    private final Path logs;
    private final Path dir;
    private final String name;
    private final List<String> extraArgs;
    private final String[] ids = new String[NODES];
    private final int[] clientPorts = new int[NODES];
    private final String peers;
    private final ChildJvm[] jvms = new ChildJvm[NODES];
    private int starts;

    private Group(String launcherMain, Path logs, Path dir, String name, List<String> extraArgs)
        throws IOException {
      this.launcherMain = launcherMain;
      this.logs = logs;
      this.dir = dir;
      this.name = name;
      this.extraArgs = extraArgs;
      List<String> members = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        ids[i] = "n" + (i + 1);
        clientPorts[i] = freePort();
        members.add(ids[i] + "=127.0.0.1:" + freePort());
      }
      peers = String.join(",", members);
    }

    /** Starts the three JVMs together and waits until each listens. */
    static Group start(
        String launcherMain, Path logs, Path dir, String name, List<String> extraArgs)
        throws IOException, TimeoutException {
      Group group = new Group(launcherMain, logs, dir, name, extraArgs);
      try {
        for (int i = 0; i < NODES; i++) {
          group.launch(i);
        }
        for (int i = 0; i < NODES; i++) {
          group.jvms[i].awaitLine(l -> LISTENING.matcher(l).find(), START_TIMEOUT);
        }
      } catch (TimeoutException | RuntimeException e) {
        group.close();
        throw e;
      }
      return group;
    }

    private void launch(int i) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "coordinator",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  String.valueOf(clientPorts[i]),
                  "--no-http",
                  "--node-id",
                  ids[i],
                  "--peers",
                  peers,
                  "--data-dir",
                  dir.resolve(ids[i]).toString()));
      args.addAll(extraArgs);
      jvms[i] =
          ChildJvm.start(
              "group-" + name + "-" + ids[i] + "-" + ++starts,
              ProcessCluster.COORDINATOR_JVM_OPTIONS,
              launcherMain,
              args,
              logs);
    }

    /** Every node's client address, comma-separated: what clients take. */
    String targets() {
      return String.join(",", Arrays.stream(clientPorts).mapToObj(p -> "127.0.0.1:" + p).toList());
    }

    /** SIGKILL of node {@code id}. */
    void kill(String id) throws InterruptedException, TimeoutException {
      jvms[index(id)].kill();
    }

    /** Starts the killed node {@code id} again on its directory and ports. */
    void restart(String id) throws TimeoutException {
      int i = index(id);
      jvms[i].close();
      launch(i);
      jvms[i].awaitLine(l -> LISTENING.matcher(l).find(), START_TIMEOUT);
    }

    /** Waits until a node leads and serves status, and returns its id. */
    String awaitLeader() throws InterruptedException, TimeoutException {
      return awaitStatus(LEADER_TIMEOUT, "a leader that serves status", (id, status) -> true);
    }

    /**
     * Waits until the leader reports {@code id} as a follower with everything the group had
     * committed when this began (under load the group commits on, so "no lag at all" may never be
     * seen).
     */
    void awaitCaughtUp(String id) throws InterruptedException, TimeoutException {
      long[] target = {-1};
      awaitStatus(
          LEADER_TIMEOUT,
          id + " following with everything committed when it restarted",
          (leader, status) -> {
            if (target[0] < 0) {
              target[0] = status.getCommitIndex();
            }
            return status.getNodesList().stream()
                .anyMatch(
                    n ->
                        n.getId().equals(id)
                            && n.getRole().equals("FOLLOWER")
                            && n.getCommitIndex() >= target[0]);
          });
    }

    @FunctionalInterface
    private interface LeaderCheck {
      boolean test(String leader, ClusterStatus status);
    }

    private String awaitStatus(Duration timeout, String what, LeaderCheck check)
        throws InterruptedException, TimeoutException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        for (int i = 0; i < NODES; i++) {
          if (!jvms[i].isAlive()) {
            continue;
          }
          ClusterStatus status = status(clientPorts[i]);
          if (status != null && status.getLeaderId().equals(ids[i]) && check.test(ids[i], status)) {
            return ids[i];
          }
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("no " + what + " within " + timeout);
        }
        Thread.sleep(50); // polling the nodes' status: there is nothing to be told by
      }
    }

    /** The node's view of the group, or null if it does not answer status (a follower). */
    private static ClusterStatus status(int port) {
      ManagedChannel channel =
          Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
              .build();
      try {
        return AdminServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance())
            .getCluster();
      } catch (StatusRuntimeException refusedOrDown) {
        return null;
      } finally {
        channel.shutdownNow();
      }
    }

    private int index(String id) {
      return Arrays.asList(ids).indexOf(id);
    }

    @Override
    public void close() {
      for (ChildJvm jvm : jvms) {
        if (jvm != null) {
          jvm.close();
        }
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }
}
