package dev.colony.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.server.ColonyServer;
import dev.colony.server.ServerTls;
import dev.colony.server.tls.TestCertificates;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS without tokens: each client certificate is a principal of its own, so one certificate
 * cannot take another's worker registration or use its sessions.
 */
class CertificatePrincipalTest {
  @TempDir Path dir;
  private TestCertificates ca;
  private TestCertificates alpha;
  private TestCertificates beta;
  private ColonyServer server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() {
    ca = TestCertificates.newCa(dir, "ca");
    TestCertificates coordinator = ca.issue("coordinator");
    alpha = ca.issue("alpha");
    beta = ca.issue("beta");
    server =
        ColonyServer.newBuilder()
            // Beyond loopback without tokens: mutual TLS is what authenticates callers here.
            .setHost("0.0.0.0")
            .setPort(0)
            .setTls(
                ServerTls.of(coordinator.certificatePem(), coordinator.keyPem())
                    .requireClientCertificates(ca.certificatePem()))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), "the coordinator stops");
  }

  @Test
  void anotherCertificate_cannotResumeAWorker() throws Exception {
    WorkerOwnershipGrpcTest.Stream registered = new WorkerOwnershipGrpcTest.Stream(as(alpha), null);
    registered.frames.onNext(WorkerOwnershipGrpcTest.hello(""));
    String id = registered.next().getWelcome().getWorkerId();

    WorkerOwnershipGrpcTest.Stream other = new WorkerOwnershipGrpcTest.Stream(as(beta), null);
    other.frames.onNext(WorkerOwnershipGrpcTest.hello(id));
    StatusRuntimeException refused = other.awaitError();
    assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    assertEquals("NOT_WORKER_OWNER", WorkerOwnershipGrpcTest.reason(refused));

    WorkerOwnershipGrpcTest.Stream again = new WorkerOwnershipGrpcTest.Stream(as(alpha), null);
    again.frames.onNext(WorkerOwnershipGrpcTest.hello(id));
    assertEquals(id, again.next().getWelcome().getWorkerId(), "the same certificate resumes it");
  }

  @Test
  void anotherCertificate_cannotUseASession() throws Exception {
    ManagedChannel alphaChannel = as(alpha);
    String session =
        sessions(alphaChannel)
            .open(SessionOpenRequest.newBuilder().setClientName("alpha").build())
            .getSessionId();
    sessions(alphaChannel, session).execute(createValue());

    StatusRuntimeException refused =
        assertThrows(
            StatusRuntimeException.class, () -> sessions(as(beta), session).execute(createValue()));
    assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    assertEquals("NOT_SESSION_OWNER", WorkerOwnershipGrpcTest.reason(refused));
  }

  private ManagedChannel as(TestCertificates client) throws IOException {
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder()
            .keyManager(client.certificatePem().toFile(), client.keyPem().toFile())
            .trustManager(ca.certificatePem().toFile())
            .build();
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), credentials).build();
    channels.add(channel);
    return channel;
  }

  private static SessionServiceGrpc.SessionServiceBlockingStub sessions(ManagedChannel channel) {
    return SessionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static SessionServiceGrpc.SessionServiceBlockingStub sessions(
      ManagedChannel channel, String sessionId) {
    Metadata headers = new Metadata();
    headers.put(SessionIdInterceptor.SESSION_ID_HEADER, sessionId);
    return sessions(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static Call createValue() {
    return Call.newBuilder()
        .setObjectCreate(ObjectCreateRequest.newBuilder().setName("v").setType(ObjectType.VALUE))
        .build();
  }
}
