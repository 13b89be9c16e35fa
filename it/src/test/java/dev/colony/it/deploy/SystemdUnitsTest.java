package dev.colony.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/**
 * deploy/systemd: the units as systemd reads them. {@code systemd-analyze verify} checks them where
 * it is installed; everywhere, their ExecStart lines, with the sample colony.env's values filled
 * in, must be command lines colony accepts, and the service settings must be those a daemon under
 * systemd needs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SystemdUnitsTest {
  private static final Path UNITS = ColonyArgs.DEPLOY.resolve("systemd");
  private static final String LAUNCHER = "/opt/colony/bin/colony";
  private static final List<String> UNIT_FILES =
      List.of("colony-coordinator.service", "colony-worker@.service", "colony-worker@.path");
  private static final Pattern SECONDS = Pattern.compile("(\\d+)s?");

  /** A unit file: section, then its settings in order (a key may repeat). */
  record Unit(Map<String, Map<String, List<String>>> sections) {
    String one(String section, String key) {
      List<String> values = all(section, key);
      assertEquals(1, values.size(), "[" + section + "] " + key + ": " + values);
      return values.get(0);
    }

    List<String> all(String section, String key) {
      return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }
  }

  static Unit unit(String name) throws IOException {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    for (String line : Files.readAllLines(UNITS.resolve(name))) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      assertFalse(trimmed.endsWith("\\"), name + ": no continuation lines: " + line);
      if (trimmed.startsWith("[")) {
        current =
            sections.computeIfAbsent(
                trimmed.substring(1, trimmed.length() - 1), s -> new LinkedHashMap<>());
        continue;
      }
      assertNotNull(current, name + ": a setting before any section: " + line);
      int equals = trimmed.indexOf('=');
      assertTrue(equals > 0, name + ": not key=value: " + line);
      current
          .computeIfAbsent(trimmed.substring(0, equals), k -> new ArrayList<>())
          .add(trimmed.substring(equals + 1));
    }
    return new Unit(sections);
  }

  /** The sample /etc/colony/colony.env: NAME=value lines. */
  static Map<String, String> environmentFile() throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(UNITS.resolve("colony.env"))) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      assertTrue(equals > 0, "colony.env: not NAME=value: " + line);
      values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
    }
    return values;
  }

  /** ExecStart's words after the launcher, with the environment file and %i, %H filled in. */
  static ParseResult execStart(Unit unit, String subcommand) throws IOException {
    String[] words = unit.one("Service", "ExecStart").split("\\s+");
    assertEquals(LAUNCHER, words[0], "ExecStart runs the distribution's launcher");
    Map<String, String> environment = environmentFile();
    List<String> args = new ArrayList<>();
    for (int i = 1; i < words.length; i++) {
      String word = words[i].replace("%i", "1").replace("%H", "host");
      assertFalse(word.contains("%"), "a specifier this test does not know: " + word);
      args.add(ColonyArgs.substitute(word, environment, subcommand + " ExecStart"));
    }
    return ColonyArgs.parse(args, subcommand, "systemd " + subcommand + " unit");
  }

  static Duration seconds(String value) {
    Matcher m = SECONDS.matcher(value);
    assertTrue(m.matches(), "seconds: " + value);
    return Duration.ofSeconds(Long.parseLong(m.group(1)));
  }

  @Test
  void coordinator_runsHardened_asItsUser_withItsSettingsFromTheEnvironmentFile() throws Exception {
    Unit unit = unit("colony-coordinator.service");
    ParseResult coordinator = execStart(unit, "coordinator");
    assertHardenedDaemon(unit);
    assertEquals("/etc/colony/colony.env", unit.one("Service", "EnvironmentFile"));
    assertTrue(
        unit.one("Service", "ExecStart").contains("--host ${COLONY_HOST}"), "the bind address");
    String host = ColonyArgs.value(coordinator, "--host");
    assertTrue(InetAddress.getByName(host).isLoopbackAddress(), "loopback by default: " + host);
    assertTrue(environmentFile().containsKey("COLONY_HOST"));
    // The token comes from the environment file's COLONY_TOKEN, never the command line.
    assertFalse(unit.one("Service", "ExecStart").contains("token"));
    assertTrue(
        Files.readString(UNITS.resolve("colony.env")).contains("#COLONY_TOKEN="),
        "colony.env shows where the token goes");

    Path dataDir = ColonyArgs.value(coordinator, "--data-dir");
    assertTrue(
        dataDir.startsWith(Path.of(unit.one("Service", "ReadWritePaths"))),
        "--data-dir " + dataDir + " is writable under ProtectSystem=strict");
    assertTrue(dataDir.startsWith(Path.of("/var/lib", unit.one("Service", "StateDirectory"))));
  }

  @Test
  void worker_waitsForItsTaskFolder_andDrainsBeforeItIsKilled() throws Exception {
    Unit unit = unit("colony-worker@.service");
    ParseResult worker = execStart(unit, "worker");
    assertHardenedDaemon(unit);
    assertEquals("/etc/colony/colony.env", unit.one("Service", "EnvironmentFile"));
    assertEquals(
        environmentFile().get("COLONY_COORDINATOR"), ColonyArgs.value(worker, "--coordinator"));

    List<Path> tasks = ColonyArgs.value(worker, "--tasks");
    assertEquals(1, tasks.size());
    String folder = tasks.get(0).toString();
    // A missing --tasks folder is a usage error (exit 2): the unit waits for it instead.
    assertEquals(folder, unit.one("Unit", "ConditionPathIsDirectory"));
    Unit path = unit("colony-worker@.path");
    assertEquals(folder, path.one("Path", "PathExists"));
    assertEquals("colony-worker@%i.service", path.one("Path", "Unit"));
    assertEquals("colony-worker@%i.path", unit.one("Install", "Also"));

    Duration drain = ColonyArgs.value(worker, "--drain-grace");
    Duration stop = seconds(unit.one("Service", "TimeoutStopSec"));
    assertTrue(stop.compareTo(drain.plusSeconds(5)) >= 0, "TimeoutStopSec " + stop + " > " + drain);
  }

  @Test
  void sysusers_createsTheUserTheUnitsRunAs() throws IOException {
    List<String> lines =
        Files.readAllLines(UNITS.resolve("colony.sysusers.conf")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertEquals(1, lines.size(), lines.toString());
    String[] fields = lines.get(0).split("\\s+");
    assertEquals("u", fields[0]);
    assertEquals(unit("colony-coordinator.service").one("Service", "User"), fields[1]);
    assertEquals(unit("colony-worker@.service").one("Service", "User"), fields[1]);
  }

  @Test
  void systemdAnalyzeVerify_findsNothingToSayAboutTheUnits(@TempDir Path dir) throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed here");
    // verify checks that ExecStart's program exists: a stand-in for the distribution's launcher.
    Path launcher = dir.resolve("colony");
    Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
    assertTrue(launcher.toFile().setExecutable(true));
    for (String name : UNIT_FILES) {
      Files.writeString(
          dir.resolve(name),
          Files.readString(UNITS.resolve(name)).replace(LAUNCHER, launcher.toString()));
    }
    List<String> command =
        List.of(
            analyze.toString(),
            "verify",
            "--man=no",
            dir.resolve("colony-coordinator.service").toString(),
            dir.resolve("colony-worker@test.service").toString(),
            dir.resolve("colony-worker@test.path").toString());
    Path output = dir.resolve("verify.log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "systemd-analyze verify within 30 s");
    } finally {
      process.destroyForcibly();
    }
    String said = Files.readString(output);
    // It may speak of units of the host's own; nothing it says may be about ours.
    List<String> aboutOurs = said.lines().filter(l -> l.contains("colony")).toList();
    assertEquals(List.of(), aboutOurs, "systemd-analyze verify:\n" + said);
    assertEquals(0, process.exitValue(), "systemd-analyze verify:\n" + said);
  }

  private static void assertHardenedDaemon(Unit unit) {
    assertEquals("colony", unit.one("Service", "User"), "a user of its own");
    assertEquals("on-failure", unit.one("Service", "Restart"));
    // A usage error (exit code 2) does not go away by restarting.
    assertTrue(Set.of(unit.one("Service", "RestartPreventExitStatus").split("\\s+")).contains("2"));
    assertEquals("SIGTERM", unit.one("Service", "KillSignal"));
    for (Map.Entry<String, String> setting :
        Map.of(
                "ProtectSystem", "strict",
                "NoNewPrivileges", "yes",
                "PrivateTmp", "yes",
                "ProtectHome", "yes",
                "PrivateDevices", "yes",
                "CapabilityBoundingSet", "")
            .entrySet()) {
      assertEquals(setting.getValue(), unit.one("Service", setting.getKey()), setting.getKey());
    }
    // The JVM's compiler writes code and runs it: this setting would kill the JVM.
    assertTrue(unit.all("Service", "MemoryDenyWriteExecute").isEmpty());
    assertEquals("multi-user.target", unit.one("Install", "WantedBy"));
  }
}
