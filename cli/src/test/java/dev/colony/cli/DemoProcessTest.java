package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code colony demo} as a new user runs it: its own JVM, exit code 0, every check passed. */
class DemoProcessTest {
  @TempDir Path dir;

  @Test
  void demo_runsTheThreeExamples_andExitsZeroWithItsChecksPassed() throws Exception {
    Path stdout = dir.resolve("demo.out");
    Path stderr = dir.resolve("demo.err");
    Process process =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfile.encoding=UTF-8",
                "-cp",
                System.getProperty("java.class.path"),
                ColonyCommand.class.getName(),
                "demo",
                "--workers",
                "2",
                "--items",
                "40")
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the demo did not finish in 120 s");
      String out = Files.readString(stdout, StandardCharsets.UTF_8);
      String diagnosis = out + "\nstderr:\n" + Files.readString(stderr, StandardCharsets.UTF_8);

      assertEquals(0, process.exitValue(), diagnosis);
      assertTrue(out.contains("All 3 checks passed."), diagnosis);
      assertEquals(3, out.lines().filter(l -> l.startsWith("  \u2714 ")).count(), diagnosis);
      assertTrue(out.contains("the workers' 40 results equal the loop's"), diagnosis);
      assertTrue(out.contains("consumed 80 of 80 numbers"), diagnosis);
      assertTrue(out.contains("all 40 tickets sold, each exactly once"), diagnosis);
      assertTrue(out.matches("(?s).*speed-up \\d+\\.\\d\\dx.*"), diagnosis);
    } finally {
      process.destroyForcibly();
    }
  }
}
