package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Security section, as written: its shell lines make the tokens and the test CA and
 * certificates, and a coordinator started with them serves the README's command over TLS, and over
 * mutual TLS with the client certificate.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadmeSecurityTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration COMMAND = Duration.ofSeconds(60);
  private static final String COORDINATOR_LINE =
      "bin/colony coordinator --host 0.0.0.0 --token-file tokens --tls-cert coordinator.crt"
          + " --tls-key coordinator.key";
  private static final String VALUE_LINE =
      "bin/colony value add logins 1 --coordinator coordinator-host:7070 --token-file client.token"
          + " --tls-ca ca.crt";

  @TempDir Path dir;

  @Test
  void readmeLines_makeTokensAndCertificates_thatACoordinatorServesOverTlsAndMutualTls()
      throws Exception {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    assertTrue(readme.contains(COORDINATOR_LINE), "README.md shows: " + COORDINATOR_LINE);
    assertTrue(readme.contains(VALUE_LINE), "README.md shows: " + VALUE_LINE);
    List<String> setup =
        readme.stream()
            .filter(
                l ->
                    l.equals("umask 077")
                        || l.startsWith("printf 'client=")
                        || l.startsWith("grep '^")
                        || l.startsWith("openssl "))
            .toList();
    assertEquals(9, setup.size(), "the README's setup lines: " + setup);
    Process shell =
        new ProcessBuilder("sh", "-e", "-c", String.join("\n", setup))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("setup.log").toFile())
            .start();
    assertTrue(shell.waitFor(60, TimeUnit.SECONDS), "the README's setup lines did not finish");
    assertEquals(0, shell.exitValue(), () -> read(dir.resolve("setup.log")));

    List<String> tls =
        List.of(
            "--token-file", path("tokens"),
            "--tls-cert", path("coordinator.crt"),
            "--tls-key", path("coordinator.key"));
    try (CoordinatorProcess coordinator = CoordinatorProcess.start(tls.toArray(String[]::new))) {
      assertEquals(List.of("1"), colony(coordinator, VALUE_LINE));
    }
    List<String> mutual = new ArrayList<>(tls);
    mutual.addAll(List.of("--tls-client-ca", path("ca.crt")));
    try (CoordinatorProcess coordinator = CoordinatorProcess.start(mutual.toArray(String[]::new))) {
      assertEquals(
          List.of("1"),
          colony(
              coordinator,
              VALUE_LINE
                  + " --tls-cert "
                  + path("client.crt")
                  + " --tls-key "
                  + path("client.key")));
    }
  }

  /** Runs a README command line against {@code coordinator}, with the files made in dir. */
  private List<String> colony(CoordinatorProcess coordinator, String line) throws Exception {
    List<String> args = new ArrayList<>();
    for (String word : line.substring("bin/colony ".length()).split(" ")) {
      String arg = word.replace("coordinator-host:7070", coordinator.target());
      args.add(Files.exists(dir.resolve(arg)) ? path(arg) : arg);
    }
    try (JavaProcess command =
        JavaProcess.start("colony-" + args.get(0), "dev.colony.cli.ColonyCommand", args)) {
      assertEquals(0, command.waitFor(COMMAND), "exit code of colony " + args);
      return new ArrayList<>(command.lines());
    }
  }

  private String path(String file) {
    return dir.resolve(file).toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
