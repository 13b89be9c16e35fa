package dev.colony.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.colony.server.store.CommandLog;
import dev.colony.server.store.PeerSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/**
 * deploy/kubernetes/*.yaml loaded into fabric8's Kubernetes model (no cluster runs here): a group
 * of three coordinators whose --peers are the StatefulSet's pods under its headless Service, probes
 * on the gRPC health service, tokens and TLS from Secrets, autoscaled workers, and container
 * arguments that colony accepts.
 */
class KubernetesManifestsTest {
  private static final Path MANIFESTS = ColonyArgs.DEPLOY.resolve("kubernetes");
  private static final String TOKENS = "colony-tokens";
  private static final String TLS = "colony-tls";

  private static List<HasMetadata> resources;

  @BeforeAll
  static void load() throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    resources = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(MANIFESTS)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "manifests in " + MANIFESTS);
    for (Path file : files) {
      try (MappingIterator<JsonNode> documents =
          yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
        while (documents.hasNext()) {
          JsonNode document = documents.next();
          if (document == null || document.isNull() || document.isEmpty()) {
            continue;
          }
          KubernetesResource resource = yaml.treeToValue(document, KubernetesResource.class);
          assertTrue(
              resource instanceof HasMetadata,
              file + ": not a known kind: " + document.path("kind"));
          assertNoUnknownFields(resource, file + " " + document.path("kind").asText());
          resources.add((HasMetadata) resource);
        }
      }
    }
  }

  @Test
  void manifests_areTheExpectedKinds() {
    Map<String, Long> kinds =
        resources.stream()
            .collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting()));
    assertEquals(
        Map.of(
            "Service", 2L,
            "StatefulSet", 1L,
            "PodDisruptionBudget", 1L,
            "NetworkPolicy", 1L,
            "Deployment", 1L,
            "HorizontalPodAutoscaler", 1L),
        kinds);
  }

  @Test
  void coordinators_peersAreTheStatefulSetsPods_underItsHeadlessService() {
    StatefulSet set = one(StatefulSet.class);
    Service peers = service(set.getSpec().getServiceName());
    assertEquals("None", peers.getSpec().getClusterIP(), "a headless Service");
    assertTrue(peers.getSpec().getPublishNotReadyAddresses(), "members find each other unready");
    assertEquals("Parallel", set.getSpec().getPodManagementPolicy());
    assertSelects(peers.getSpec().getSelector(), set.getSpec().getTemplate());
    int replicas = set.getSpec().getReplicas();
    assertEquals(3, replicas);

    Container container = onlyContainer(set.getSpec().getTemplate());
    int raftPort = containerPort(container, "raft");
    assertTrue(
        peers.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == raftPort),
        "the headless Service has the Raft port");
    List<String> expectedIds =
        IntStream.range(0, replicas).mapToObj(i -> set.getMetadata().getName() + "-" + i).toList();
    EnvVar podName = env(container, "POD_NAME");
    assertEquals("metadata.name", podName.getValueFrom().getFieldRef().getFieldPath());

    for (String pod : expectedIds) {
      ParseResult coordinator = coordinatorArgs(container, pod);
      assertEquals(pod, ColonyArgs.value(coordinator, "--node-id"), "the node id is the pod name");
      List<CommandLog.Member> members =
          PeerSpec.parseGroup(ColonyArgs.value(coordinator, "--peers"));
      assertEquals(
          expectedIds, members.stream().map(CommandLog.Member::id).toList(), "--peers ids");
      for (CommandLog.Member member : members) {
        assertEquals(
            member.id() + "." + peers.getMetadata().getName() + ":" + raftPort,
            member.address(),
            "a member's Raft address is its pod's DNS name under the headless Service");
      }
    }
    assertTrue(
        set.getSpec().getReplicas()
                - one(PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal()
            > replicas / 2,
        "a voluntary disruption leaves a majority");
  }

  @Test
  void coordinators_keepTheirStateOnPersistentVolumes_andServeTheClientService() {
    StatefulSet set = one(StatefulSet.class);
    Container container = onlyContainer(set.getSpec().getTemplate());
    ParseResult coordinator = coordinatorArgs(container, set.getMetadata().getName() + "-0");
    Path dataDir = ColonyArgs.value(coordinator, "--data-dir");
    VolumeMount mount = mountAt(container, dataDir.toString());
    PersistentVolumeClaim claim =
        set.getSpec().getVolumeClaimTemplates().stream()
            .filter(c -> c.getMetadata().getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("--data-dir is on a volume claim: " + mount));
    assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes());
    assertNotNull(claim.getSpec().getResources().getRequests().get("storage"));
    assertFalse(
        set.getSpec().getTemplate().getSpec().getVolumes().stream()
            .anyMatch(v -> v.getName().equals(mount.getName())),
        "the data volume is the claim, not a pod volume");

    assertEquals("0.0.0.0", ColonyArgs.value(coordinator, "--host"));
    int port = ColonyArgs.value(coordinator, "--port");
    assertEquals(port, containerPort(container, "grpc"));
    int httpPort = ColonyArgs.value(coordinator, "--http-port");
    assertEquals(httpPort, containerPort(container, "http"));
    Service client = service("colony-coordinator");
    assertNotEquals("None", client.getSpec().getClusterIP());
    assertSelects(client.getSpec().getSelector(), set.getSpec().getTemplate());
    ServicePort grpc =
        client.getSpec().getPorts().stream()
            .filter(p -> p.getName().equals("grpc"))
            .findFirst()
            .orElseThrow();
    assertEquals(port, grpc.getPort());
    assertEquals("grpc", grpc.getTargetPort().getStrVal());
  }

  @Test
  void coordinators_probeTheHealthServiceNatively_onItsPlaintextPort() {
    StatefulSet set = one(StatefulSet.class);
    Container container = onlyContainer(set.getSpec().getTemplate());
    ParseResult coordinator = coordinatorArgs(container, set.getMetadata().getName() + "-0");
    int healthPort = ColonyArgs.value(coordinator, "--health-port");
    assertEquals(healthPort, containerPort(container, "health"));
    // The client port serves TLS, which the kubelet's gRPC probe does not speak.
    assertNotEquals(ColonyArgs.<Integer>value(coordinator, "--port"), healthPort);
    for (Probe probe :
        List.of(
            container.getReadinessProbe(),
            container.getLivenessProbe(),
            container.getStartupProbe())) {
      assertNotNull(probe, "readiness, liveness and startup probes");
      assertNotNull(probe.getGrpc(), "a gRPC probe: " + probe);
      assertEquals(healthPort, probe.getGrpc().getPort());
      assertNull(probe.getExec());
      assertNull(probe.getHttpGet());
    }
  }

  @Test
  void coordinators_takeTokensAndTlsFromSecrets() {
    StatefulSet set = one(StatefulSet.class);
    PodSpec pod = set.getSpec().getTemplate().getSpec();
    Container container = onlyContainer(set.getSpec().getTemplate());
    ParseResult coordinator = coordinatorArgs(container, set.getMetadata().getName() + "-0");
    assertEquals(
        List.of(TOKENS, "tokens"),
        secretKeyAt(pod, container, ColonyArgs.value(coordinator, "--token-file")));
    assertEquals(
        List.of(TLS, "tls.crt"),
        secretKeyAt(pod, container, ColonyArgs.value(coordinator, "--tls-cert")));
    assertEquals(
        List.of(TLS, "tls.key"),
        secretKeyAt(pod, container, ColonyArgs.value(coordinator, "--tls-key")));
    assertRunsAsNonRoot(pod, container);
  }

  @Test
  void raftPort_isOpenToTheMembersOnly() {
    StatefulSet set = one(StatefulSet.class);
    int raftPort = containerPort(onlyContainer(set.getSpec().getTemplate()), "raft");
    NetworkPolicy policy = one(NetworkPolicy.class);
    assertSelects(policy.getSpec().getPodSelector().getMatchLabels(), set.getSpec().getTemplate());
    assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
    List<NetworkPolicyIngressRule> rules =
        policy.getSpec().getIngress().stream()
            .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == raftPort))
            .toList();
    assertEquals(1, rules.size(), "one rule lets Raft in");
    NetworkPolicyIngressRule raft = rules.get(0);
    assertEquals(1, raft.getPorts().size(), "and nothing else");
    assertEquals(1, raft.getFrom().size());
    assertSelects(
        raft.getFrom().get(0).getPodSelector().getMatchLabels(), set.getSpec().getTemplate());
    assertNull(raft.getFrom().get(0).getNamespaceSelector(), "from this namespace only");
  }

  @Test
  void workers_reachEveryMember_withTheirToken_trustingTheCa_andDrainBeforeTheyAreKilled() {
    StatefulSet set = one(StatefulSet.class);
    Service peers = service(set.getSpec().getServiceName());
    int port =
        ColonyArgs.value(
            coordinatorArgs(
                onlyContainer(set.getSpec().getTemplate()), set.getMetadata().getName() + "-0"),
            "--port");
    Deployment deployment = one(Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = onlyContainer(deployment.getSpec().getTemplate());
    assertEquals(onlyContainer(set.getSpec().getTemplate()).getImage(), container.getImage());
    assertTrue(
        container.getCommand() == null || container.getCommand().isEmpty(),
        "the image's entry point");
    ParseResult worker = ColonyArgs.parse(container.getArgs(), "worker", "worker Deployment");

    String expected =
        IntStream.range(0, set.getSpec().getReplicas())
            .mapToObj(
                i ->
                    set.getMetadata().getName()
                        + "-"
                        + i
                        + "."
                        + peers.getMetadata().getName()
                        + ":"
                        + port)
            .collect(Collectors.joining(","));
    assertEquals(expected, ColonyArgs.value(worker, "--coordinator"));
    assertEquals(
        List.of(TOKENS, "worker.token"),
        secretKeyAt(pod, container, ColonyArgs.value(worker, "--token-file")));
    assertEquals(
        List.of(TLS, "ca.crt"), secretKeyAt(pod, container, ColonyArgs.value(worker, "--tls-ca")));
    List<Path> tasks = ColonyArgs.value(worker, "--tasks");
    assertEquals(List.of(Path.of("/var/lib/colony/tasks")), tasks, "the image's task folder");
    assertRunsAsNonRoot(pod, container);

    Duration drain = ColonyArgs.value(worker, "--drain-grace");
    assertTrue(
        pod.getTerminationGracePeriodSeconds() >= drain.getSeconds() + 5,
        "terminationGracePeriodSeconds "
            + pod.getTerminationGracePeriodSeconds()
            + " > drain "
            + drain);
  }

  @Test
  void workers_scaleWithTheirCpu() {
    Deployment deployment = one(Deployment.class);
    HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class);
    assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
    assertEquals(deployment.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
    assertTrue(hpa.getSpec().getMinReplicas() >= 1);
    assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas());
    assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
    // Utilization is measured against the request, so there must be one.
    Quantity cpu =
        onlyContainer(deployment.getSpec().getTemplate()).getResources().getRequests().get("cpu");
    assertNotNull(cpu, "the worker requests CPU");
    ParseResult worker =
        ColonyArgs.parse(
            onlyContainer(deployment.getSpec().getTemplate()).getArgs(), "worker", "worker");
    assertTrue(
        ColonyArgs.given(worker, "--slots"), "slots are set, not taken from the node's cores");
  }

  private static ParseResult coordinatorArgs(Container container, String podName) {
    assertTrue(
        container.getCommand() == null || container.getCommand().isEmpty(),
        "the image's entry point");
    List<String> args =
        container.getArgs().stream()
            .map(a -> ColonyArgs.substitute(a, Map.of("POD_NAME", podName), "coordinator args"))
            .toList();
    return ColonyArgs.parse(args, "coordinator", "coordinator StatefulSet (" + podName + ")");
  }

  /** The Secret and its key that {@code file} is, through the container's mounts. */
  private static List<String> secretKeyAt(PodSpec pod, Container container, Path file) {
    VolumeMount mount = mountAt(container, file.getParent().toString());
    assertTrue(mount.getReadOnly(), "secrets are mounted read-only: " + mount);
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
    SecretVolumeSource secret = volume.getSecret();
    assertNotNull(secret, file + " is in a Secret");
    String name = file.getFileName().toString();
    String key =
        secret.getItems().isEmpty()
            ? name
            : secret.getItems().stream()
                .filter(i -> i.getPath().equals(name))
                .map(KeyToPath::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError(file + " is not among " + secret.getItems()));
    assertEquals(0440, secret.getDefaultMode(), "secret files readable by owner and group only");
    return List.of(secret.getSecretName(), key);
  }

  private static void assertRunsAsNonRoot(PodSpec pod, Container container) {
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertNotEquals(0L, pod.getSecurityContext().getRunAsUser());
    assertEquals(pod.getSecurityContext().getRunAsUser(), pod.getSecurityContext().getFsGroup());
    assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
    assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
    mountAt(container, "/tmp"); // the JVM's scratch space, the root being read-only
  }

  private static VolumeMount mountAt(Container container, String path) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("nothing mounted at " + path + " in " + container.getName()));
  }

  private static int containerPort(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }

  private static Container onlyContainer(PodTemplateSpec template) {
    assertEquals(1, template.getSpec().getContainers().size());
    return template.getSpec().getContainers().get(0);
  }

  private static void assertSelects(Map<String, String> selector, PodTemplateSpec template) {
    assertFalse(selector.isEmpty());
    assertTrue(
        template.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
        selector + " selects " + template.getMetadata().getLabels());
  }

  private static Service service(String name) {
    return resources.stream()
        .filter(r -> r instanceof Service && r.getMetadata().getName().equals(name))
        .map(Service.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Service " + name));
  }

  private static <T extends HasMetadata> T one(Class<T> kind) {
    List<T> found = resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertEquals(1, found.size(), "one " + kind.getSimpleName());
    return found.get(0);
  }

  /**
   * fabric8 keeps a field it does not know in additionalProperties rather than failing: a misspelt
   * field (readinesProbe) would pass unnoticed, so every object must have none.
   */
  private static void assertNoUnknownFields(Object root, String where) {
    walk(root, where, new IdentityHashMap<>());
  }

  private static void walk(Object node, String where, IdentityHashMap<Object, Boolean> seen) {
    if (node == null || seen.put(node, true) != null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      items.forEach(i -> walk(i, where, seen));
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> walk(v, where, seen));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        assertTrue(
            value == null || ((Map<?, ?>) value).isEmpty(),
            where + ": unknown fields " + value + " in " + node.getClass().getSimpleName());
      } else {
        walk(value, where, seen);
      }
    }
  }
}
