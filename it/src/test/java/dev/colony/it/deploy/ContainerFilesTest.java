package dev.colony.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/**
 * deploy/Dockerfile, deploy/compose.yaml and .dockerignore, read as Docker would read them (no
 * Docker engine runs here): a small non-root runtime image of the distribution, a health check that
 * asks the coordinator's health service, and container commands that colony accepts.
 */
class ContainerFilesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COMPOSE_DURATION = Pattern.compile("(?:(\\d+)m)?(?:(\\d+)s)?");

  /** One Dockerfile instruction, continuation lines joined. */
  record Instruction(String keyword, String arguments) {}

  static List<Instruction> dockerfile() throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(ColonyArgs.DEPLOY.resolve("Dockerfile"))) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString().strip();
      current.setLength(0);
      if (!text.isEmpty()) {
        int space = text.indexOf(' ');
        instructions.add(
            new Instruction(
                text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
      }
    }
    return instructions;
  }

  /** The instructions of the last stage: what the image is. */
  static List<Instruction> runtimeStage() throws IOException {
    List<Instruction> all = dockerfile();
    int from = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) {
        from = i;
      }
    }
    return all.subList(from, all.size());
  }

  static List<String> execForm(String json) throws IOException {
    return JSON.readValue(json, new TypeReference<List<String>>() {});
  }

  static Instruction only(List<Instruction> stage, String keyword) {
    List<Instruction> found = stage.stream().filter(i -> i.keyword().equals(keyword)).toList();
    assertEquals(1, found.size(), "one " + keyword + " in the runtime stage: " + found);
    return found.get(0);
  }

  static int indexOf(List<Instruction> stage, String keyword, String containing) {
    for (int i = 0; i < stage.size(); i++) {
      if (stage.get(i).keyword().equals(keyword) && stage.get(i).arguments().contains(containing)) {
        return i;
      }
    }
    throw new AssertionError("no " + keyword + " with '" + containing + "' in " + stage);
  }

  @Test
  void image_isAJavaRuntime_runningAsAUserOfItsOwn() throws IOException {
    List<Instruction> stage = runtimeStage();
    String base = stage.get(0).arguments();
    assertTrue(base.startsWith("eclipse-temurin:17-jre"), "a Java 17 runtime, not a JDK: " + base);
    String user = only(stage, "USER").arguments();
    assertFalse(user.isBlank() || user.startsWith("root") || user.startsWith("0"), "USER " + user);
    // The build stage builds the distribution, and the image is made of it.
    assertTrue(
        dockerfile().stream()
            .anyMatch(
                i ->
                    i.keyword().equals("RUN")
                        && i.arguments().contains("package")
                        && i.arguments().contains("cli/target/colony-")),
        "the build stage runs mvn package and unpacks the distribution");
    assertEquals(
        List.of("/opt/colony/bin/colony"), execForm(only(stage, "ENTRYPOINT").arguments()));
    indexOf(stage, "COPY", "/dist/bin/ /opt/colony/bin/");
  }

  @Test
  void image_copiesTheJarBeforeWhatChangesMoreOften() throws IOException {
    List<Instruction> stage = runtimeStage();
    int lib = indexOf(stage, "COPY", "/dist/lib/");
    assertTrue(lib < indexOf(stage, "COPY", "/dist/bin/"), "lib/ before bin/");
    assertTrue(lib < indexOf(stage, "COPY", "README.md"), "lib/ before the README");
    assertTrue(lib < indexOf(stage, "USER", ""), "lib/ before the user settings");
    // Its startup archive is made in the image, for the jar at its path there.
    int archive = indexOf(stage, "RUN", "-XX:ArchiveClassesAtExit=/opt/colony/lib/colony.jsa");
    assertTrue(lib < archive, "the archive is made after the jar is in place");
    assertTrue(stage.get(archive).arguments().contains("dev.colony.cli.StartupTraining"));
    assertNotNull(classNamed("dev.colony.cli.StartupTraining"));
  }

  @Test
  void image_runsACoordinator_andChecksItsHealthService() throws IOException {
    List<Instruction> stage = runtimeStage();
    List<String> command = execForm(only(stage, "CMD").arguments());
    ParseResult coordinator = ColonyArgs.parse(command, "coordinator", "Dockerfile CMD");
    int port = ColonyArgs.value(coordinator, "--port");
    int httpPort = ColonyArgs.value(coordinator, "--http-port");
    List<String> exposed = List.of(only(stage, "EXPOSE").arguments().split("\\s+"));
    assertEquals(List.of(String.valueOf(port), String.valueOf(httpPort)), exposed);
    Path dataDir = ColonyArgs.value(coordinator, "--data-dir");
    assertEquals(List.of(dataDir.toString()), execForm(only(stage, "VOLUME").arguments()));
    assertEquals("0.0.0.0", ColonyArgs.value(coordinator, "--host"));
    // Beyond loopback it wants a token; the image's command names where the token is mounted.
    assertTrue(ColonyArgs.given(coordinator, "--token-file"), "the CMD gives --token-file");

    String healthcheck = only(stage, "HEALTHCHECK").arguments();
    int cmd = healthcheck.indexOf("CMD [");
    assertTrue(cmd >= 0, "HEALTHCHECK ... CMD [exec form]: " + healthcheck);
    for (String option : healthcheck.substring(0, cmd).strip().split("\\s+")) {
      assertTrue(option.matches("--(interval|timeout|start-period|retries)=\\w+"), option);
    }
    List<String> check = execForm(healthcheck.substring(cmd + "CMD ".length()));
    assertEquals("/opt/colony/bin/colony", check.get(0));
    ParseResult health =
        ColonyArgs.parse(check.subList(1, check.size()), "health", "Dockerfile HEALTHCHECK");
    assertEquals("127.0.0.1:" + port, ColonyArgs.value(health, "--coordinator"));
    Duration timeout = ColonyArgs.value(health, "--timeout");
    Matcher dockerTimeout = Pattern.compile("--timeout=(\\d+)s").matcher(healthcheck);
    assertTrue(dockerTimeout.find(), healthcheck);
    assertTrue(
        timeout.getSeconds() < Long.parseLong(dockerTimeout.group(1)),
        "colony health gives up before Docker does, so its message is what Docker keeps");
  }

  @Test
  void compose_coordinatorKeepsItsStateInAVolume_andPublishesOnLoopbackOnly() throws IOException {
    JsonNode compose =
        new YAMLMapper().readTree(ColonyArgs.DEPLOY.resolve("compose.yaml").toFile());
    JsonNode service = compose.path("services").path("coordinator");
    assertEquals("deploy/Dockerfile", service.path("build").path("dockerfile").asText());
    ParseResult coordinator =
        ColonyArgs.parse(strings(service.path("command")), "coordinator", "compose coordinator");
    Path dataDir = ColonyArgs.value(coordinator, "--data-dir");
    String volume = namedVolumeAt(compose, service, dataDir.toString());
    assertFalse(volume.startsWith(".") || volume.startsWith("/"), "a named volume: " + volume);
    assertSecretAt(compose, service, ColonyArgs.value(coordinator, "--token-file"));
    for (JsonNode port : service.path("ports")) {
      assertTrue(port.asText().startsWith("127.0.0.1:"), "published on loopback only: " + port);
    }
  }

  @Test
  void compose_workersScale_withATaskVolume_andTimeToDrain() throws IOException {
    JsonNode compose =
        new YAMLMapper().readTree(ColonyArgs.DEPLOY.resolve("compose.yaml").toFile());
    JsonNode service = compose.path("services").path("worker");
    ParseResult coordinator =
        ColonyArgs.parse(
            strings(compose.path("services").path("coordinator").path("command")),
            "coordinator",
            "compose coordinator");
    ParseResult worker =
        ColonyArgs.parse(strings(service.path("command")), "worker", "compose worker");

    assertEquals(
        "coordinator:" + ColonyArgs.<Integer>value(coordinator, "--port"),
        ColonyArgs.value(worker, "--coordinator"));
    List<Path> tasks = ColonyArgs.value(worker, "--tasks");
    assertEquals(1, tasks.size(), "one task folder: " + tasks);
    String mount = mountAt(service, tasks.get(0).toString());
    assertTrue(mount.endsWith(":ro"), "workers only read their tasks: " + mount);
    assertSecretAt(compose, service, ColonyArgs.value(worker, "--token-file"));

    // Scalable: several replicas, and nothing that ties a service to one container.
    assertTrue(service.path("deploy").path("replicas").asInt() >= 2, "replicas");
    assertTrue(service.path("container_name").isMissingNode(), "no container_name");
    assertTrue(service.path("ports").isMissingNode(), "no published ports");
    assertTrue(service.path("healthcheck").path("disable").asBoolean(), "no coordinator check");
    assertEquals(
        "service_healthy",
        service.path("depends_on").path("coordinator").path("condition").asText());

    Duration drain = ColonyArgs.value(worker, "--drain-grace");
    Duration grace = composeDuration(service.path("stop_grace_period").asText());
    assertTrue(
        grace.compareTo(drain.plusSeconds(5)) >= 0,
        "stop_grace_period " + grace + " leaves the drain (" + drain + ") time to finish");
  }

  @Test
  void dockerignore_keepsBuildOutputAndSecretsOutOfTheContext() throws IOException {
    List<String> lines =
        Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    for (String pattern : List.of("**/target/", ".git/", "**/*.token", "**/*.key")) {
      assertTrue(lines.contains(pattern), ".dockerignore has " + pattern + ": " + lines);
    }
  }

  private static List<String> strings(JsonNode array) {
    assertTrue(array.isArray(), "an exec-form command: " + array);
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The source of the service's volume mounted at {@code target}, declared at the top level. */
  private static String namedVolumeAt(JsonNode compose, JsonNode service, String target) {
    String mount = mountAt(service, target);
    String source = mount.substring(0, mount.indexOf(':'));
    assertTrue(compose.path("volumes").has(source), "volume " + source + " is declared");
    return source;
  }

  /** The short-syntax volume (SOURCE:TARGET[:MODE]) of the service mounted at {@code target}. */
  private static String mountAt(JsonNode service, String target) {
    for (JsonNode volume : service.path("volumes")) {
      // The source may hold colons itself (${COLONY_TASKS:-./tasks}): read from the right.
      String text = volume.asText().replaceFirst(":(ro|rw)$", "");
      if (text.endsWith(":" + target)) {
        return volume.asText();
      }
    }
    throw new AssertionError("nothing is mounted at " + target + ": " + service.path("volumes"));
  }

  /** {@code file} is a compose secret the service has, declared with a file. */
  private static void assertSecretAt(JsonNode compose, JsonNode service, Path file) {
    assertEquals("/run/secrets", file.getParent().toString(), "a secret: " + file);
    String name = file.getFileName().toString();
    List<String> secrets = strings(service.path("secrets"));
    assertTrue(secrets.contains(name), "the service has secret " + name + ": " + secrets);
    assertTrue(compose.path("secrets").path(name).has("file"), "secret " + name + " is declared");
  }

  private static Duration composeDuration(String text) {
    Matcher m = COMPOSE_DURATION.matcher(text);
    assertTrue(!text.isEmpty() && m.matches(), "a duration like 1m30s: " + text);
    long minutes = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    long seconds = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
    return Duration.ofMinutes(minutes).plusSeconds(seconds);
  }

  private static Class<?> classNamed(String name) {
    try {
      return Class.forName(name, false, ContainerFilesTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError("the Dockerfile names " + name + ", which does not exist", e);
    }
  }
}
