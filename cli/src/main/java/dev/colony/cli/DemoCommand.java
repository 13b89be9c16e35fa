package dev.colony.cli;

import ch.qos.logback.classic.Level;
import dev.colony.client.ColonyClient;
import dev.colony.server.ColonyServer;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code colony demo}: a local cluster and the classic multiprocessing examples on it, each with a
 * check, for a first look.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs the classic multiprocessing examples on a local cluster, each checked.",
      "Starts a local cluster (a coordinator and workers in this process, on a free port) and"
          + " runs the classic multiprocessing examples on it:",
      "  1. a parallel map of CPU-bound work, timed against a plain loop in one process;",
      "  2. producers and consumers through a shared Queue;",
      "  3. ticket sellers racing under a shared Lock, with the final count checked.",
      "Each example ends with a check; exit code 0 when all passed, 1 otherwise."
    })
final class DemoCommand implements Callable<Integer> {
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Workers in the cluster (default: one per spare core, here ${DEFAULT-VALUE}).")
  int workers = LocalCluster.defaultWorkers();

  @Option(
      names = "--items",
      paramLabel = "N",
      defaultValue = "200",
      description =
          "Items of the parallel map, numbers each producer sends and tickets to sell"
              + " (default: ${DEFAULT-VALUE}).")
  int items;

  @Override
  public Integer call() throws InterruptedException {
    if (workers < 1 || workers > 64) {
      throw new ParameterException(
          spec.commandLine(), "--workers must be between 1 and 64, got " + workers);
    }
    if (items < 1 || items > 100_000) {
      throw new ParameterException(
          spec.commandLine(), "--items must be between 1 and 100000, got " + items);
    }
    quietLogs();
    PrintWriter out = spec.commandLine().getOut();
    out.println("Starting a local cluster: a coordinator and " + plural(workers, "worker") + "...");
    out.flush();
    int passed = 0;
    List<DemoExample> examples;
    try (LocalCluster cluster =
            LocalCluster.start(
                ColonyServer.newBuilder().setPort(0), "127.0.0.1", workers, 1, JOIN_TIMEOUT);
        ColonyClient colony = Connections.connect(cluster.address())) {
      out.println(
          "Coordinator on "
              + cluster.address()
              + ", "
              + plural(workers, "worker")
              + " with 1 slot each, "
              + plural(Runtime.getRuntime().availableProcessors(), "core")
              + " on this machine.");
      examples =
          List.of(
              new ParallelMapExample(items, workers),
              new ProducerConsumerExample(
                  items, workers, "demo.numbers", () -> Connections.connect(cluster.address())),
              new TicketExample(
                  items, workers, "demo.", () -> Connections.connect(cluster.address())));
      for (int i = 0; i < examples.size(); i++) {
        DemoExample example = examples.get(i);
        out.println();
        out.println((i + 1) + ". " + example.title());
        out.flush();
        DemoExample.Result result = runChecked(example, colony, out);
        out.println("  " + mark(result.passed()) + " " + result.summary());
        out.flush();
        if (result.passed()) {
          passed++;
        }
      }
    }
    out.println();
    boolean allPassed = passed == examples.size();
    out.println(
        allPassed
            ? "All " + examples.size() + " checks passed."
            : (examples.size() - passed) + " of " + examples.size() + " checks failed.");
    out.println("Next: `colony local` keeps a cluster running; see it with `colony status`.");
    out.flush();
    return allPassed ? ExitCodes.OK : ExitCodes.ERROR;
  }

  /** An example that throws has failed its check; the demo goes on with the next one. */
  private static DemoExample.Result runChecked(
      DemoExample example, ColonyClient colony, PrintWriter out) throws InterruptedException {
    try {
      return example.run(colony, out);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return new DemoExample.Result(false, "failed: " + e);
    }
  }

  /** The cluster's own log lines would drown the demo's; COLONY_LOG_LEVEL still wins. */
  static void quietLogs() {
    if (System.getenv("COLONY_LOG_LEVEL") == null
        && LoggerFactory.getLogger("dev.colony") instanceof ch.qos.logback.classic.Logger colony) {
      colony.setLevel(Level.WARN);
    }
  }

  /** A check mark where the terminal's charset has one. */
  private static String mark(boolean passed) {
    boolean unicode = Charset.defaultCharset().newEncoder().canEncode('\u2714');
    if (unicode) {
      return passed ? "\u2714" : "\u2718";
    }
    return passed ? "[ok]" : "[FAILED]";
  }

  private static String plural(int n, String noun) {
    return String.format(Locale.ROOT, "%d %s%s", n, noun, n == 1 ? "" : "s");
  }
}
