package dev.colony.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ClientConfig;
import dev.colony.it.support.CommandServerState;
import dev.colony.it.support.JavaProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution that {@code mvn package} builds, {@code cli/target/colony-<version>.tar.gz},
 * unpacked as a user would (tar) into an empty folder and run from there with nothing but a Java
 * runtime: its launcher finds its jar, a coordinator started from it serves, and its commands reach
 * that coordinator.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DistributionTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final Pattern LISTENING =
      Pattern.compile("Colony coordinator listening on 127\\.0\\.0\\.1:(\\d+)");

  @Test
  void unpackedDistribution_runsACoordinatorAndCommands_withOnlyJava(@TempDir Path dir)
      throws Exception {
    String version = cliVersion();
    Path tarball = ROOT.resolve("cli/target/colony-" + version + ".tar.gz");
    assertTrue(Files.isRegularFile(tarball), tarball + " is built by mvn package (cli module)");

    Path unpacked = dir.resolve("unpacked");
    Files.createDirectories(unpacked);
    Result tar =
        run(List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()), Map.of());
    assertEquals(0, tar.exitCode(), "tar -xzf: " + tar.output());
    Path home = unpacked.resolve("colony-" + version);
    Path launcher = home.resolve("bin/colony");
    assertTrue(Files.isExecutable(launcher), "bin/colony is executable");
    assertTrue(Files.isRegularFile(home.resolve("lib/colony.jar")), "lib/colony.jar");
    assertTrue(Files.isRegularFile(home.resolve("README.md")), "README.md");
    // Java 17 maps a startup archive only for the jar at the path it was made for.
    assertFalse(Files.exists(home.resolve("lib/colony.jsa")), "no archive for another path");
    assertEquals(
        "127.0.0.1:7070",
        ClientConfig.load(home.resolve("config.sample"), Map.of()).coordinator(null),
        "config.sample is a config file the clients read");

    Map<String, String> environment = onlyJava(dir);
    try {
      runsFromTheDistribution(launcher, version, dir, environment);
    } finally {
      // The launcher's command server outlives the commands; end it even if a check failed.
      CommandServerState.pid(dir.resolve("home/.cache/colony/command-server"))
          .flatMap(ProcessHandle::of)
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static void runsFromTheDistribution(
      Path launcher, String version, Path dir, Map<String, String> environment) throws Exception {
    Result versionRun = run(List.of(launcher.toString(), "--version"), environment);
    assertEquals(0, versionRun.exitCode(), versionRun.output());
    assertTrue(
        versionRun.output().startsWith("colony " + version + "\n"),
        "bin/colony --version: " + versionRun.output());

    Path data = dir.resolve("data");
    try (JavaProcess coordinator =
        JavaProcess.startCommand(
            "dist-coordinator",
            List.of(
                launcher.toString(),
                "coordinator",
                "--port",
                "0",
                "--no-http",
                "--data-dir",
                data.toString()),
            environment)) {
      String line = coordinator.awaitLine(l -> LISTENING.matcher(l).find(), COMMAND_TIMEOUT);
      Matcher port = LISTENING.matcher(line);
      assertTrue(port.find());
      String address = "127.0.0.1:" + port.group(1);

      Result health =
          run(List.of(launcher.toString(), "health", "--coordinator", address), environment);
      assertEquals(0, health.exitCode(), "colony health: " + health.output());
      assertEquals("SERVING\n", health.output());

      Result add =
          run(
              List.of(
                  launcher.toString(), "value", "add", "dist.hits", "5", "--coordinator", address),
              environment);
      assertEquals(0, add.exitCode(), "colony value add: " + add.output());
      assertEquals("5\n", add.output());
      // value add ran on the command server the launcher started; stop it as a user would.
      Result stop = run(List.of(launcher.toString(), "command-server", "stop"), environment);
      assertEquals(0, stop.exitCode(), "colony command-server stop: " + stop.output());

      coordinator.signalTerminate();
      assertEquals(0, coordinator.waitFor(COMMAND_TIMEOUT), "the coordinator stops cleanly");
    }
    assertTrue(Files.isDirectory(data), "the coordinator kept its state in --data-dir");
  }

  /** The version the CLI on the test classpath was built with: that of the tarball beside it. */
  private static String cliVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        dev.colony.cli.ColonyCommand.class.getResourceAsStream("version.properties")) {
      properties.load(in);
    }
    return properties.getProperty("version");
  }

  /**
   * The environment of a host with a Java runtime and nothing else of Colony's: no
   * COLONY_COORDINATOR or COLONY_TOKEN, and a home folder without a colony config file.
   */
  private static Map<String, String> onlyJava(Path dir) throws IOException {
    Path home = Files.createDirectories(dir.resolve("home"));
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", "/usr/bin:/bin");
    environment.put("HOME", home.toString());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    // The launcher passes these to the JVM; they start it faster, as in the other tests.
    environment.put("COLONY_JAVA_OPTS", String.join(" ", JavaProcess.CHILD_JVM_OPTIONS));
    return environment;
  }

  private record Result(int exitCode, String output) {}

  /**
   * Runs {@code command} to its end within the timeout, stderr with stdout. Its output goes to a
   * file, so that a command that hangs cannot block the read: the wait is what is bounded.
   */
  private static Result run(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path output =
        JavaProcess.logDirectory()
            .resolve(
                "dist-"
                    + Path.of(command.get(0)).getFileName()
                    + "-"
                    + RUNS.incrementAndGet()
                    + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    if (!environment.isEmpty()) {
      builder.environment().clear();
      builder.environment().putAll(environment);
    }
    Process process = builder.start();
    try {
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            command
                + " still running after "
                + COMMAND_TIMEOUT
                + "; output so far: "
                + Files.readString(output));
      }
      return new Result(process.exitValue(), Files.readString(output));
    } finally {
      process.destroyForcibly();
    }
  }
}
