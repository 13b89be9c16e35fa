package dev.colony.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.it.support.CommandServerState;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.StatusRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/colony}'s quick commands run on a warm JVM, the command server, which the script
 * starts on first use. Through it a command prints, fails and exits as it does in its own JVM; it
 * runs with its caller's environment and working directory; and a caller that hangs up (Ctrl-C)
 * cancels its command, so a blocked {@code queue get} takes nothing once its shell is gone.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandServerTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private Path serverDir;
  private CoordinatorProcess coordinator;
  private final List<Process> started = new ArrayList<>();

  // One coordinator and one command server for all the tests, as a user's shell has.
  @BeforeAll
  void start() throws Exception {
    serverDir = dir.resolve("server");
    coordinator = CoordinatorProcess.start();
  }

  @AfterAll
  void stop() throws Exception {
    started.forEach(Process::destroyForcibly);
    // The server outlives the script that started it: end it by the pid its state file names.
    serverPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    coordinator.close();
  }

  @Test
  void quickCommands_runOnTheServer_withTheirCallersEnvironmentAndDirectory() throws Exception {
    Run first = colony(Map.of(), "queue", "put", "env-jobs", "a", "--coordinator", target());
    assertEquals(0, first.code, first::toString);
    long pid = serverPid().orElseThrow(() -> new AssertionError("no state file after " + first));
    Run status = colony(Map.of(), "command-server", "status");
    assertEquals(0, status.code, status::toString);
    assertTrue(status.out.contains("pid " + pid), status::toString);

    // The caller's COLONY_COORDINATOR, not the server's (it was started without one).
    Run viaEnvironment = colony(Map.of("COLONY_COORDINATOR", target()), "queue", "get", "env-jobs");
    assertEquals(new Run(0, "a\n", ""), viaEnvironment);

    // A relative --config is relative to the caller's working directory.
    Files.writeString(dir.resolve("colony.conf"), "coordinator = " + target() + "\n");
    Run viaConfig = colony(Map.of(), "value", "add", "config-hits", "5", "--config", "colony.conf");
    assertEquals(new Run(0, "5\n", ""), viaConfig);

    assertEquals(pid, serverPid().orElseThrow(), "the same server ran every command");
  }

  @Test
  void throughTheServer_outputAndExitCodes_areThoseOfItsOwnJvm() throws Exception {
    List<List<String>> commands =
        List.of(
            List.of("queue", "get", "nosuch", "--coordinator", target()),
            List.of("queue", "put", "--coordinator", target()),
            List.of("queue", "put", "q", "x", "--coordinator", "127.0.0.1:99999"),
            List.of("map", "get", "--help"));
    for (List<String> command : commands) {
      String[] args = command.toArray(String[]::new);
      Run served = colony(Map.of(), args);
      Run own = colony(Map.of("COLONY_COMMAND_SERVER", "off"), args);
      assertEquals(own, served, "colony " + String.join(" ", command));
    }
    assertTrue(serverPid().isPresent(), "the quick commands started a server");
  }

  @Test
  void aCallerThatHangsUp_cancelsItsCommand_andTakesNothing() throws Exception {
    assertEquals(
        0, colony(Map.of(), "queue", "put", "jobs", "first", "--coordinator", target()).code);
    assertEquals(
        new Run(0, "first\n", ""),
        colony(Map.of(), "queue", "get", "jobs", "--coordinator", target()));

    Process blocked =
        builder(Map.of(), "queue", "get", "jobs", "--timeout", "10m", "--coordinator", target())
            .start();
    started.add(blocked);
    await("the blocked get waiting on queue 'jobs'").atMost(WAIT).until(() -> waiters("jobs") == 1);
    blocked.destroy();
    assertTrue(blocked.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the script ended");
    await("the server to withdraw the hung-up caller's get")
        .atMost(WAIT)
        .until(() -> waiters("jobs") == 0);

    assertEquals(
        0, colony(Map.of(), "queue", "put", "jobs", "second", "--coordinator", target()).code);
    assertEquals(
        new Run(0, "second\n", ""),
        colony(Map.of(), "queue", "get", "jobs", "--coordinator", target()));
  }

  @Test
  void stop_endsTheServer_andTheNextCommandStartsAnother() throws Exception {
    assertEquals(0, colony(Map.of(), "value", "add", "n", "1", "--coordinator", target()).code);
    long pid = serverPid().orElseThrow();
    long before =
        Long.parseLong(
            colony(Map.of(), "value", "get", "n", "--coordinator", target()).out.strip());

    Run stopped = colony(Map.of(), "command-server", "stop");

    assertEquals(new Run(0, "stopped the command server (pid " + pid + ")\n", ""), stopped);
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid);
    assertFalse(Files.exists(serverDir.resolve("command-server")), "the state file is removed");
    assertEquals(3, colony(Map.of(), "command-server", "status").code);
    assertEquals(
        new Run(0, "2\n", ""),
        colony(Map.of(), "value", "add", "n", "1", "--coordinator", target()));
    assertTrue(serverPid().filter(other -> other != pid).isPresent(), "a new server");
  }

  private int waiters(String queue) {
    ManagedChannel channel =
        Grpc.newChannelBuilder(target(), InsecureChannelCredentials.create()).build();
    try {
      return AdminServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance())
          .getObjectsList()
          .stream()
          .filter(o -> o.getName().equals(queue))
          .mapToInt(ObjectInfo::getWaiters)
          .sum();
    } finally {
      channel.shutdownNow();
    }
  }

  private String target() {
    return coordinator.target();
  }

  private Optional<Long> serverPid() {
    return CommandServerState.pid(serverDir.resolve("command-server"));
  }

  /** What a command printed and its exit code. */
  private record Run(int code, String out, String err) {}

  private Run colony(Map<String, String> env, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process =
        builder(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    started.add(process);
    assertTrue(
        process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS),
        "bin/colony " + String.join(" ", args) + " did not finish");
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** bin/colony in the temp folder, with only this test's COLONY_ settings and config. */
  private ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/colony").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("COLONY_"));
    builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    builder.environment().put("COLONY_COMMAND_SERVER_DIR", serverDir.toString());
    builder.environment().putAll(env);
    return builder;
  }
}
