package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.python.PythonFrontDoor;
import dev.colony.server.ColonyServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Python (the real python3) through the front door, seen by the colony commands. */
@Timeout(120)
class PythonFrontDoorCliTest {
  private static final String KEY = "cli-s3cret";
  private static final Pattern PYTHON_LINE = Pattern.compile("Python managers on (\\S+):(\\d+)");

  @TempDir Path dir;

  /** Runs a python3 script with the front door's port and a key; returns its output. */
  private String python(int port, String key, String script) throws Exception {
    Path file = Files.createTempFile(dir, "script", ".py");
    Files.writeString(
        file,
        """
        import sys
        from multiprocessing.managers import SyncManager
        PORT = int(sys.argv[1]); KEY = sys.argv[2].encode()
        """
            + script);
    Process p =
        new ProcessBuilder("python3", file.toString(), String.valueOf(port), key)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    try {
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish:\n" + out);
      assertEquals(0, p.exitValue(), () -> "python failed:\n" + out);
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  private interface WithDoor {
    void run(String address, PythonFrontDoor door) throws Exception;
  }

  private static void withDoor(WithDoor body) throws Exception {
    ColonyServer server = ColonyServer.forAddress("127.0.0.1", 0).start();
    String address = "127.0.0.1:" + server.port();
    PythonFrontDoor door = null;
    try {
      door =
          new PythonFrontDoor(
                  ColonyOptions.newBuilder().setTarget(address).build(),
                  "127.0.0.1",
                  0,
                  KEY.getBytes(StandardCharsets.UTF_8),
                  16)
              .start();
      body.run(address, door);
    } finally {
      if (door != null) {
        door.close();
      }
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void dictWrittenInPython_isReadByColonyMapGet() throws Exception {
    withDoor(
        (address, door) -> {
          python(
              door.port(),
              KEY,
              """
              s = SyncManager(address=("127.0.0.1", PORT), authkey=KEY); s.connect()
              d = s.dict(name="config")
              d["color"] = "blue"
              """);
          CliRun get = CliRun.of("map", "get", "config", "color", "--coordinator", address);
          assertEquals(0, get.exitCode(), get::toString);
          assertEquals("blue", get.out().strip(), get::toString);
        });
  }

  @Test
  void wrongAuthkey_createsNothingOnTheCoordinator() throws Exception {
    withDoor(
        (address, door) -> {
          List<String> before = objectNames(address);
          String out =
              python(
                  door.port(),
                  "not-the-key",
                  """
                  from multiprocessing import AuthenticationError
                  s = SyncManager(address=("127.0.0.1", PORT), authkey=KEY)
                  try:
                      s.connect(); s.dict(name="intruder"); raise SystemExit("connected")
                  except AuthenticationError:
                      print("refused")
                  """);
          assertTrue(out.contains("refused"), out);
          assertEquals(before, objectNames(address));
        });
  }

  @Test
  void pythonPortWithTls_isAUsageError_sayingWhatToDoInstead() throws Exception {
    Path keyFile = Files.writeString(dir.resolve("authkey"), KEY + "\n");
    // Refused before the certificate is read, so these files need not exist.
    CliRun run =
        CliRun.of(
            "coordinator",
            "--port",
            "0",
            "--no-http",
            "--tls-cert",
            dir.resolve("cert.pem").toString(),
            "--tls-key",
            dir.resolve("key.pem").toString(),
            "--python-port",
            "0",
            "--python-authkey-file",
            keyFile.toString());
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("has no TLS"), run::toString);
    assertTrue(run.err().contains("loopback") && run.err().contains("tunnel"), run::toString);
  }

  private static List<String> objectNames(String address) {
    try (AdminClient admin =
        new AdminClient(ColonyOptions.newBuilder().setTarget(address).build())) {
      return admin.status().getObjectsList().stream().map(ObjectInfo::getName).sorted().toList();
    }
  }

  @Test
  void local_withAPythonPort_servesPythonManagers() throws Exception {
    Path keyFile = dir.resolve("authkey");
    Files.writeString(keyFile, KEY + "\n");
    Path stderr = dir.resolve("local.err");
    Process process =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ColonyCommand.class.getName(),
                "local",
                "--port",
                "0",
                "--workers",
                "0",
                "--python-port",
                "0",
                "--python-authkey-file",
                keyFile.toString())
            .redirectError(stderr.toFile())
            .start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = readLineWithin(stdout);
      assertNotNull(first, () -> "no start-up line; stderr: " + read(stderr));
      Matcher started = Pattern.compile("Colony local cluster on \\S+:(\\d+) .*").matcher(first);
      assertTrue(started.matches(), () -> "start-up line: " + first);
      String address = "127.0.0.1:" + started.group(1);
      Matcher python = null;
      for (String line = readLineWithin(stdout); line != null; line = readLineWithin(stdout)) {
        Matcher m = PYTHON_LINE.matcher(line);
        if (m.matches()) {
          python = m;
          break;
        }
      }
      assertNotNull(python, () -> "no 'Python managers on' line; stderr: " + read(stderr));

      python(
          Integer.parseInt(python.group(2)),
          KEY,
          """
          s = SyncManager(address=("127.0.0.1", PORT), authkey=KEY); s.connect()
          s.Value("i", 7, name="from-python")
          """);
      try (ColonyClient client = Colony.connect(address)) {
        assertEquals(7L, client.atomicLong("from-python").get());
      }

      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "colony local did not stop");
      assertEquals(0, process.exitValue(), () -> "exit code; stderr: " + read(stderr));
    } finally {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void coordinatorWithTokens_servesPythonManagers_throughATokenOfItsOwn() throws Exception {
    Path keyFile = Files.writeString(dir.resolve("authkey"), KEY + "\n");
    String clientToken = "client-token-0123456789abcdef";
    Path tokens = Files.writeString(dir.resolve("tokens"), "client=" + clientToken + "\n");
    Path stderr = dir.resolve("coordinator.err");
    Process process =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ColonyCommand.class.getName(),
                "coordinator",
                "--port",
                "0",
                "--no-http",
                "--token-file",
                tokens.toString(),
                "--python-port",
                "0",
                "--python-authkey-file",
                keyFile.toString())
            .redirectError(stderr.toFile())
            .start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String address = null;
      Matcher python = null;
      for (String line = readLineWithin(stdout);
          line != null && python == null;
          line = python == null ? readLineWithin(stdout) : null) {
        Matcher listening = Pattern.compile("Colony coordinator listening on (\\S+)").matcher(line);
        if (listening.lookingAt()) {
          address = listening.group(1);
        }
        Matcher m = PYTHON_LINE.matcher(line);
        if (m.matches()) {
          python = m;
        }
      }
      assertNotNull(python, () -> "no 'Python managers on' line; stderr: " + read(stderr));
      assertNotNull(address, () -> "no 'listening on' line; stderr: " + read(stderr));

      python(
          Integer.parseInt(python.group(2)),
          KEY,
          """
          s = SyncManager(address=("127.0.0.1", PORT), authkey=KEY); s.connect()
          s.Value("i", 11, name="with-tokens")
          """);
      ColonyOptions withToken =
          ColonyOptions.newBuilder().setTarget(address).setToken(clientToken).build();
      try (ColonyClient client = Colony.connect(withToken)) {
        assertEquals(11L, client.atomicLong("with-tokens").get());
      }
    } finally {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String readLineWithin(BufferedReader reader) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .get(60, TimeUnit.SECONDS);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
