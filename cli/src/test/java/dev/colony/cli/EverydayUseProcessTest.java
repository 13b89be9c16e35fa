package dev.colony.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ClientConfig;
import dev.colony.server.ColonyServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The colony command as its own JVM, as a shell runs it: bad addresses, options and commands are
 * one line on stderr and exit 2; where the coordinator comes from (flag, COLONY_COORDINATOR, config
 * file); and what a worker logs while its coordinator is away. Every process gets a config folder
 * of its own and none of the caller's COLONY_ variables.
 */
class EverydayUseProcessTest {
  private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*");

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private ColonyServer server;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void portOutOfRange_isOneLineAndExit2() throws Exception {
    CliRun run = colony(Map.of(), "queue", "size", "jobs", "--coordinator", "127.0.0.1:99999");

    assertEquals(2, run.exitCode(), run::toString);
    assertEquals(
        "colony queue size: the port of the coordinator address 127.0.0.1:99999 is out of range:"
            + " it must be between 1 and 65535\n",
        run.err());
    assertEquals("", run.out());
  }

  @Test
  void unknownHost_isOneLineAndExit2_withoutGrpcsWarning() throws Exception {
    CliRun run = colony(Map.of(), "value", "get", "n", "--coordinator", "nosuch.invalid:7070");

    assertEquals(2, run.exitCode(), run::toString);
    assertEquals(
        "colony value get: unknown host nosuch.invalid in the coordinator address"
            + " nosuch.invalid:7070\n",
        run.err());
  }

  @Test
  void addressWithAScheme_saysItIsHostAndPort() throws Exception {
    CliRun run = colony(Map.of(), "status", "--coordinator", "http://127.0.0.1:7070");

    assertEquals(2, run.exitCode(), run::toString);
    assertEquals(
        "colony status: the coordinator address is HOST:PORT, without a scheme, e.g."
            + " 127.0.0.1:7070; got http://127.0.0.1:7070\n",
        run.err());
  }

  @Test
  void verbose_addsTheStackTrace() throws Exception {
    CliRun run =
        colony(Map.of(), "--verbose", "queue", "size", "jobs", "--coordinator", "127.0.0.1:99999");

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("\tat picocli."), run::toString);
  }

  @Test
  void coordinatorOnAnUnknownHost_isOneLineAndExit2() throws Exception {
    CliRun run = colony(Map.of(), "coordinator", "--host", "nosuch.invalid", "--port", "0");

    assertEquals(2, run.exitCode(), run::toString);
    assertEquals(
        "colony coordinator: --host nosuch.invalid is no address of this machine: unknown host"
            + " nosuch.invalid\n",
        run.err());
  }

  @Test
  void unknownCommand_evenWithHelp_isExit2_namingTheClosest() throws Exception {
    for (List<String> args : List.of(List.of("statsu"), List.of("statsu", "--help"))) {
      CliRun run = colony(Map.of(), args.toArray(String[]::new));

      assertEquals(2, run.exitCode(), run::toString);
      assertEquals(
          "colony: unknown command 'statsu'; did you mean status? (see 'colony --help')\n",
          run.err());
      assertEquals("", run.out());
    }
  }

  @Test
  void unknownOption_isExit2_namingTheClosest() throws Exception {
    CliRun run = colony(Map.of(), "queue", "size", "jobs", "--coordinatr", "127.0.0.1:1");

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(
        run.err()
            .startsWith(
                "colony queue size: unknown option '--coordinatr'; did you mean --coordinator"),
        run::toString);
    assertEquals(1, run.err().lines().count(), run::toString);
  }

  @Test
  void unreachableCoordinatorFromTheEnvironment_isOneLineAndExit1_sayingHowLongItWaited()
      throws Exception {
    String closed = "127.0.0.1:" + closedPort();

    CliRun run = colony(Map.of("COLONY_COORDINATOR", closed), "queue", "size", "jobs");

    assertEquals(1, run.exitCode(), run::toString);
    assertEquals(
        "colony queue size: cannot reach the coordinator at "
            + closed
            + " within 5 s; is `colony coordinator` running? (--coordinator or COLONY_COORDINATOR"
            + " names another)\n",
        run.err());
  }

  @Test
  void badAddressFromTheEnvironment_saysWhereItCameFrom() throws Exception {
    CliRun run = colony(Map.of("COLONY_COORDINATOR", "localhost"), "queue", "size", "jobs");

    assertEquals(2, run.exitCode(), run::toString);
    assertEquals(
        "colony queue size: the coordinator address is HOST:PORT, e.g. 127.0.0.1:7070; got"
            + " localhost (from COLONY_COORDINATOR)\n",
        run.err());
  }

  @Test
  void coordinator_isTheFlag_elseTheEnvironment_elseTheConfigFile() throws Exception {
    server = ColonyServer.forAddress("127.0.0.1", 0).start();
    String live = "127.0.0.1:" + server.port();
    String closed = "127.0.0.1:" + closedPort();
    Files.createDirectories(dir.resolve("colony"));
    Files.writeString(dir.resolve("colony/config"), "# a test's\ncoordinator = " + live + "\n");
    Path other = Files.writeString(dir.resolve("other.conf"), "coordinator = " + closed + "\n");

    // It waits out its connect timeout on the closed port; meanwhile the others run one by one.
    Launched fromOtherFile = launch(Map.of(), "value", "get", "hits", "--config", "" + other);
    CliRun fromFile = colony(Map.of(), "value", "add", "hits", "1");
    CliRun fromEnvironment =
        colony(
            Map.of("COLONY_COORDINATOR", live),
            "value",
            "add",
            "hits",
            "1",
            "--config",
            "" + other);
    CliRun fromFlag =
        colony(
            Map.of("COLONY_COORDINATOR", closed),
            "value",
            "add",
            "hits",
            "1",
            "--coordinator",
            live);
    CliRun fromOther = fromOtherFile.finish();

    assertEquals(new CliRun(0, "1\n", ""), fromFile);
    assertEquals(new CliRun(0, "2\n", ""), fromEnvironment);
    assertEquals(new CliRun(0, "3\n", ""), fromFlag);
    assertEquals(1, fromOther.exitCode(), fromOther::toString);
    assertTrue(
        fromOther.err().contains("cannot reach the coordinator at " + closed), fromOther::toString);
  }

  @Test
  void readmesConfigFile_isOneColonyReads() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```\ncoordinator = ");
    assertTrue(start >= 0, "README.md shows a config file");
    String block = readme.substring(start + 4, readme.indexOf("```", start + 4));
    Path file = Files.writeString(dir.resolve("config"), block);

    ClientConfig config = ClientConfig.load(file, Map.of());

    assertEquals("coordinator-host:7070", config.coordinator(null));
    assertEquals(dir.resolve("client.token").toAbsolutePath(), config.tokenFile().orElseThrow());
    assertEquals(dir.resolve("ca.crt").toAbsolutePath(), config.tlsCa().orElseThrow());
  }

  @Test
  void worker_findsTheCoordinatorInTheEnvironment_andLogsOneLinePerReconnectAttempt()
      throws Exception {
    server = ColonyServer.forAddress("127.0.0.1", 0).start();
    Path stderr = dir.resolve("worker.err");
    Process worker =
        start(
            Map.of("COLONY_COORDINATOR", "127.0.0.1:" + server.port()),
            stderr,
            "worker",
            "--slots",
            "1",
            "--allow-tasks",
            "dev.colony.cli.**");
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);
    assertNotNull(line, () -> "no start-up line; stderr: " + read(stderr));
    assertTrue(
        line.matches(
            "Colony worker worker-\\d+ connected to 127\\.0\\.0\\.1:"
                + server.port()
                + " with 1 slots"),
        line);

    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    await("two reconnect attempts in the worker's log")
        .atMost(Duration.ofSeconds(90))
        .until(() -> read(stderr).lines().filter(l -> l.contains("trying again in")).count() >= 2);

    List<String> log = read(stderr).lines().toList();
    for (String entry : log) {
      assertTrue(LOG_LINE.matcher(entry).matches(), () -> "not one line per event: " + log);
    }
    worker.destroy();
    assertTrue(worker.waitFor(30, TimeUnit.SECONDS), "the worker did not stop");
  }

  private CliRun colony(Map<String, String> env, String... args) throws Exception {
    return launch(env, args).finish();
  }

  /** A colony command started and not yet waited for. */
  private record Launched(Process process, Path out, Path err, List<String> args) {
    CliRun finish() throws InterruptedException {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "colony did not exit: " + args);
      return new CliRun(process.exitValue(), read(out), read(err));
    }
  }

  private Launched launch(Map<String, String> env, String... args) throws IOException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    return new Launched(start(env, err, out, args), out, err, List.of(args));
  }

  private Process start(Map<String, String> env, Path stderr, String... args) throws IOException {
    return start(env, stderr, null, args);
  }

  private Process start(Map<String, String> env, Path stderr, Path stdout, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    // A dozen short JVMs: start-up is their cost, as in the it module's JavaProcess.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    // The logging of colony.jar: the test class path also holds the client's test resources, whose
    // logback-test.xml logback would prefer, and that one logs to stdout, not stderr.
    command.add("-Dlogback.configurationFile=logback.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ColonyCommand.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    if (stdout != null) {
      builder.redirectOutput(stdout.toFile());
    }
    builder.environment().keySet().removeIf(name -> name.startsWith("COLONY_"));
    builder.environment().put("XDG_CONFIG_HOME", dir.toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    processes.add(process);
    return process;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
