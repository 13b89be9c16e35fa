package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.cli.demo.CountPrimes;
import dev.colony.server.ColonyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's map example runs as written against a local cluster's workers. */
class ReadmeParallelMapTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path EXAMPLE = ROOT.resolve("examples/ParallelMap.java");

  @TempDir Path dir;

  @Test
  void readme_pointsAtTheExample() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));

    assertTrue(readme.contains("examples/ParallelMap.java"), "README names the example");
  }

  @Test
  void parallelMapExample_mapsOnTheWorkers_andPrintsTheLastCount() throws Exception {
    try (LocalCluster cluster =
        LocalCluster.start(
            ColonyServer.newBuilder().setPort(0), "127.0.0.1", 1, 1, Duration.ofSeconds(30))) {
      Path stdout = dir.resolve("example.out");
      Path stderr = dir.resolve("example.err");
      Process process =
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Dcolony.coordinator=" + cluster.address(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  EXAMPLE.toString(),
                  "20")
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      try {
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the example did not finish");
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String diagnosis = out + "\nstderr:\n" + Files.readString(stderr);
        assertEquals(0, process.exitValue(), diagnosis);
        int last = 100_000 + 100 * 19;
        assertTrue(
            out.matches(
                "(?s)20 results in \\d+\\.\\d s; primes below "
                    + last
                    + ": "
                    + CountPrimes.below(last)
                    + "\\R"),
            diagnosis);
      } finally {
        process.destroyForcibly();
      }
    }
  }
}
