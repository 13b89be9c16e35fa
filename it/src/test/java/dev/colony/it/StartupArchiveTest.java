package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The build leaves a class-data-sharing archive beside the CLI's jar, and {@code bin/colony} uses
 * it: the classes a command loads come from the archive, and the JVM says nothing about it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartupArchiveTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void build_leavesAnArchiveBesideTheJar() {
    assertTrue(
        Files.isRegularFile(ROOT.resolve("cli/target/colony.jsa")),
        "mvn package writes cli/target/colony.jsa (see StartupTraining)");
  }

  @Test
  void binColony_loadsItsClassesFromTheArchive() throws Exception {
    List<String> lines = binColony("-Xlog:class+load", "--version");
    long shared =
        lines.stream().filter(l -> l.contains("source: shared objects file (top)")).count();
    assertTrue(
        shared > 100,
        "classes from the archive's top layer: " + shared + "; first lines: " + head(lines));
  }

  @Test
  void binColony_printsNoArchiveMessages() throws Exception {
    List<String> lines = binColony("", "--version");
    assertEquals(2, lines.size(), "only the version lines: " + lines);
    assertTrue(lines.get(0).startsWith("colony "), "version line: " + lines);
  }

  /** Runs bin/colony with COLONY_JAVA_OPTS, stdout and stderr together; it must exit 0. */
  private static List<String> binColony(String javaOpts, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(List.of(ROOT.resolve("bin/colony").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder.redirectErrorStream(true);
    builder.environment().put("COLONY_JAVA_OPTS", javaOpts);
    Process process = builder.start();
    String output;
    try (var in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    assertEquals(0, process.exitValue(), "bin/colony " + String.join(" ", args) + ":\n" + output);
    return output.lines().toList();
  }

  private static List<String> head(List<String> lines) {
    return lines.subList(0, Math.min(5, lines.size()));
  }
}
