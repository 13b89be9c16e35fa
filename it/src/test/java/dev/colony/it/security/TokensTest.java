package dev.colony.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyOptions;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.proto.v1.ValueSetRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real coordinator with a token file, over TCP on loopback: tokens on the SDK, the CLI and the
 * dashboard, and sessions that belong to the token that opened them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TokensTest {
  private static final String CLIENT = "client-token-0123456789abcdef";
  private static final String OTHER_CLIENT = "other-client-token-0123456789";
  private static final String WORKER = "worker-token-0123456789abcdef";
  private static final String READ = "read-token-0123456789abcdef01";
  private static final Duration COMMAND = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static CoordinatorProcess coordinator;

  @BeforeAll
  static void start() throws Exception {
    Path tokens =
        Files.writeString(
            dir.resolve("tokens"),
            "# roles and their tokens\nclient="
                + CLIENT
                + "\nclient="
                + OTHER_CLIENT
                + "\nworker="
                + WORKER
                + "\nread="
                + READ
                + "\n");
    coordinator = CoordinatorProcess.start("--token-file", tokens.toString());
  }

  @AfterAll
  static void stop() {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Test
  void missingOrWrongToken_isUnauthenticated_andChangesNothing() {
    try (ColonyClient client = connect(CLIENT)) {
      client.atomicLong("tokens.hits").set(5);
    }
    for (String token : new String[] {null, "wrong-token-0123456789abcdef"}) {
      ColonyException refused = assertThrows(ColonyException.class, () -> connect(token));
      assertEquals(ColonyException.Code.UNAUTHENTICATED, refused.code(), refused.getMessage());
    }
    try (ColonyClient client = connect(CLIENT)) {
      assertEquals(5, client.atomicLong("tokens.hits").get());
    }
  }

  @Test
  void anotherTokensSessionId_isPermissionDenied_andTheLockStaysHeld() throws Exception {
    try (ColonyClient alice = connect(CLIENT)) {
      alice.atomicLong("tokens.balance").set(100);
      ManagedChannel channel =
          Grpc.newChannelBuilder(coordinator.target(), InsecureChannelCredentials.create()).build();
      try {
        Metadata headers = new Metadata();
        headers.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
            "Bearer " + OTHER_CLIENT);
        // Whatever Mallory knows of Alice's session id, it is not Mallory's session.
        headers.put(
            Metadata.Key.of("colony-session-id", Metadata.ASCII_STRING_MARSHALLER),
            alice.sessionId());
        StatusRuntimeException refused =
            assertThrows(
                StatusRuntimeException.class,
                () ->
                    SessionServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .execute(
                            Call.newBuilder()
                                .setValueSet(
                                    ValueSetRequest.newBuilder()
                                        .setName("tokens.balance")
                                        .setValue(Scalar.newBuilder().setLongValue(0)))
                                .build()));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      assertEquals(100, alice.atomicLong("tokens.balance").get());
    }
  }

  @Test
  void cli_takesItsTokenFromAFile_andAWorkerTokenCannotReadTheStatus() throws Exception {
    Path clientToken = Files.writeString(dir.resolve("client.token"), CLIENT + "\n");
    Path workerToken = Files.writeString(dir.resolve("worker.token"), WORKER + "\n");
    assertEquals(
        List.of("7"),
        colony(0, "value", "add", "tokens.cli", "7", "--token-file", clientToken.toString()));
    List<String> denied = colony(1, "status", "--token-file", workerToken.toString());
    assertTrue(
        String.join("\n", denied).contains("PERMISSION_DENIED"),
        "status with a worker token: " + denied);
  }

  @Test
  void dashboard_wantsAReadToken_asBearerOrBasicPassword() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI status = URI.create(coordinator.dashboard() + "/api/status");
    assertEquals(401, get(http, HttpRequest.newBuilder(status)));
    assertEquals(
        401, get(http, HttpRequest.newBuilder(status).header("Authorization", "Bearer " + WORKER)));
    assertEquals(
        200, get(http, HttpRequest.newBuilder(status).header("Authorization", "Bearer " + READ)));
    String basic =
        Base64.getEncoder().encodeToString(("anyone:" + READ).getBytes(StandardCharsets.UTF_8));
    assertEquals(
        200, get(http, HttpRequest.newBuilder(status).header("Authorization", "Basic " + basic)));
  }

  private static int get(HttpClient http, HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(COMMAND).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static ColonyClient connect(String token) {
    return Colony.connect(
        ColonyOptions.newBuilder()
            .setTarget(coordinator.target())
            .setToken(token)
            .setConnectTimeout(Duration.ofSeconds(10))
            .build());
  }

  /** Runs one `colony` command in its own JVM; returns stdout and stderr. */
  private static List<String> colony(int exitCode, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--coordinator");
    all.add(coordinator.target());
    try (JavaProcess command =
        JavaProcess.start("colony-" + args[0], "dev.colony.cli.ColonyCommand", all, true)) {
      assertEquals(exitCode, command.waitFor(COMMAND), "exit code of colony " + all);
      return new ArrayList<>(command.lines());
    }
  }
}
