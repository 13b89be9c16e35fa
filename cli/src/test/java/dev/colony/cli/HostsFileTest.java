package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.cli.HostsFile.Host;
import dev.colony.cli.HostsFile.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {
  @TempDir Path dir;

  @Test
  void read_hostsSettingsCommentsAndQuotes() throws IOException {
    HostsFile file =
        read(
            "# the lab",
            "ssh-user colony   # a comment after a setting",
            "ssh-option StrictHostKeyChecking=accept-new",
            "ssh-option ConnectTimeout=5",
            "token-file secrets/colony.token",
            "",
            "coordinator 10.0.0.1",
            "worker 10.0.0.4 --slots 2 --allow-tasks 'com.acme.**' --name \"big one\"");
    assertEquals("colony", file.setting("ssh-user", null));
    assertEquals(
        List.of("StrictHostKeyChecking=accept-new", "ConnectTimeout=5"), file.sshOptions());
    assertEquals(dir.resolve("secrets/colony.token"), file.path("token-file").orElseThrow());
    assertEquals(List.of(new Host(Role.COORDINATOR, "10.0.0.1", List.of())), file.coordinators());
    assertEquals(
        List.of("--slots", "2", "--allow-tasks", "com.acme.**", "--name", "big one"),
        file.workers().get(0).options());
  }

  @Test
  void read_refusesMistakes_sayingWhatToDo() throws IOException {
    assertRefused("'cordinator' is neither a host", "token-file t", "cordinator 10.0.0.1");
    assertRefused("names no coordinator host", "token-file t", "worker 10.0.0.1");
    assertRefused(
        "name 1 (one durable coordinator), 3", "token-file t", "coordinator a", "coordinator b");
    assertRefused("sets no token-file", "coordinator a");
    assertRefused("names worker b twice", "token-file t", "coordinator a", "worker b", "worker b");
    assertRefused(
        "tls-cert and tls-key go together", "token-file t", "tls-cert c", "coordinator a");
    assertRefused(":2: a quote (') is not closed", "token-file t", "worker a --name 'x");
  }

  @Test
  void withDefaults_theHostLinesOptionsWin() {
    assertEquals(
        List.of("worker", "--token-file", "t", "--name=mine", "--slots", "4"),
        RemoteHost.withDefaults(
            List.of(List.of("worker"), List.of("--token-file", "t"), List.of("--name", "a")),
            List.of("--name=mine", "--slots", "4")));
  }

  @Test
  void shellWords_quoteAnything() {
    assertEquals("'it'\\''s' '$HOME' ''", ShellWords.quote(List.of("it's", "$HOME", "")));
  }

  private void assertRefused(String expected, String... lines) throws IOException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(lines));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private HostsFile read(String... lines) throws IOException {
    Path file = dir.resolve("hosts.txt");
    Files.write(file, List.of(lines));
    return HostsFile.read(file);
  }
}
