package dev.colony.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a client finds its coordinator: given, environment, config file, default. */
class ClientConfigTest {
  @TempDir Path dir;

  @Test
  void coordinator_givenBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    Path file = Files.writeString(dir.resolve("config"), "# mine\ncoordinator = filehost:7001\n");
    Map<String, String> env = Map.of("COLONY_COORDINATOR", "envhost:7002");

    assertEquals("given:7003", ClientConfig.load(file, env).coordinator("given:7003"));
    assertEquals("envhost:7002", ClientConfig.load(file, env).coordinator(null));
    assertEquals(
        "COLONY_COORDINATOR",
        ClientConfig.load(file, env).coordinatorSource(null, "--coordinator"));
    assertEquals("filehost:7001", ClientConfig.load(file, Map.of()).coordinator(null));
    assertEquals(
        "coordinator in " + file,
        ClientConfig.load(file, Map.of()).coordinatorSource(null, "--coordinator"));
    assertEquals(
        "127.0.0.1:7070",
        ClientConfig.load(null, Map.of("XDG_CONFIG_HOME", dir.toString())).coordinator(null));
  }

  @Test
  void defaultFile_isUnderXdgConfigHome_andReadWhenPresent() throws Exception {
    Map<String, String> env = Map.of("XDG_CONFIG_HOME", dir.toString());
    Files.createDirectories(dir.resolve("colony"));
    Files.writeString(dir.resolve("colony/config"), "coordinator=xdg:7070\n");

    assertEquals(dir.resolve("colony/config"), ClientConfig.defaultFile(env));
    assertEquals("xdg:7070", ClientConfig.load(null, env).coordinator(null));
  }

  @Test
  void paths_areRelativeToTheFile_andTokenFileIsRead() throws Exception {
    Files.writeString(dir.resolve("client.token"), "s3cret\n");
    Path file =
        Files.writeString(dir.resolve("config"), "token-file = client.token\ntls = false\n");

    ClientConfig config = ClientConfig.load(file, Map.of());

    assertEquals(Optional.of(dir.resolve("client.token").toAbsolutePath()), config.tokenFile());
    assertFalse(config.tls());
    ColonyOptions options = config.newOptionsBuilder().build();
    assertEquals("s3cret", options.getToken());
    assertEquals(null, options.getTls());
  }

  @Test
  void badLine_namesTheFileTheLineAndTheKeys() throws Exception {
    Path file = Files.writeString(dir.resolve("config"), "\ncoordinater = x:1\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.load(file, Map.of()));

    assertTrue(e.getMessage().startsWith("config file " + file + " line 2:"), e.getMessage());
    assertTrue(e.getMessage().contains("coordinator, token-file, tls"), e.getMessage());
  }

  @Test
  void missingExplicitFile_isAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ClientConfig.load(dir.resolve("nope"), Map.of()));

    assertEquals("config file " + dir.resolve("nope") + " does not exist", e.getMessage());
  }

  @Test
  void address_mustBeHostAndPort_withoutSchemeAndInRange() throws Exception {
    assertEquals(7070, CoordinatorAddress.parse("127.0.0.1:7070").port());
    assertEquals("[::1]", CoordinatorAddress.parse("[::1]:7070").host());
    assertEquals(
        "the coordinator address is HOST:PORT, without a scheme, e.g. 127.0.0.1:7070; got"
            + " http://127.0.0.1:7070",
        assertThrows(
                IllegalArgumentException.class,
                () -> CoordinatorAddress.parse("http://127.0.0.1:7070"))
            .getMessage());
    assertEquals(
        "the port of the coordinator address 127.0.0.1:99999 is out of range: it must be between"
            + " 1 and 65535",
        assertThrows(
                IllegalArgumentException.class, () -> CoordinatorAddress.parse("127.0.0.1:99999"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> CoordinatorAddress.parse("localhost"));
    UnknownHostException unknown =
        assertThrows(
            UnknownHostException.class,
            () -> CoordinatorAddress.parse("nosuch.invalid:7070").resolve());
    assertEquals(
        "unknown host nosuch.invalid in the coordinator address nosuch.invalid:7070",
        unknown.getMessage());
  }
}
