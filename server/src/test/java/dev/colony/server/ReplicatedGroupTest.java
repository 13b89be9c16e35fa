package dev.colony.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ClusterNodeStatus;
import dev.colony.proto.v1.ClusterStatus;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.SessionOpenRequest;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.ValueGetRequest;
import dev.colony.proto.v1.ValueSetRequest;
import dev.colony.server.grpc.LeaderHints;
import dev.colony.server.grpc.SessionIdInterceptor;
import dev.colony.server.store.CommandLog;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three coordinators in one JVM as one Ratis group over loopback: one leads, the others point
 * callers at it, and state applied through the leader survives its loss.
 */
class ReplicatedGroupTest {
  private static final Duration ELECTION = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final Map<String, ColonyServer> nodes = new HashMap<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ColonyServer node : nodes.values()) {
      node.shutdownNow();
    }
    for (ColonyServer node : nodes.values()) {
      node.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void oneNodeLeads_theOthersPointAtIt_andTheStateOutlivesTheLeader() throws Exception {
    List<CommandLog.Member> peers =
        List.of(
            new CommandLog.Member("n1", "127.0.0.1:" + freePort()),
            new CommandLog.Member("n2", "127.0.0.1:" + freePort()),
            new CommandLog.Member("n3", "127.0.0.1:" + freePort()));
    for (CommandLog.Member peer : peers) {
      nodes.put(
          peer.id(),
          ColonyServer.newBuilder()
              .setPort(0)
              .setHttpPort(0)
              .setDataDir(dir.resolve(peer.id()))
              .setGroup(peer.id(), peers)
              .build()
              .start());
    }

    String leader = awaitLeaderAnnounced(nodes.keySet());
    ClusterStatus cluster = status(leader).getCluster();
    assertEquals(leader, cluster.getSelfId());
    assertEquals(3, cluster.getNodesCount(), cluster::toString);
    for (ClusterNodeStatus node : cluster.getNodesList()) {
      assertEquals(
          node.getId().equals(leader) ? "LEADER" : "FOLLOWER", node.getRole(), node::toString);
      assertEquals(ProcessHandle.current().pid(), node.getPid(), node::toString);
      assertEquals("127.0.0.1:" + nodes.get(node.getId()).port(), node.getAddress());
    }

    // A session opened through the leader is replicated state.
    String session = open(leader);
    assertFalse(session.isEmpty());
    // A write goes through the log; the read after it, served by the read index without a log
    // entry, sees it.
    execute(
        leader,
        session,
        Call.newBuilder()
            .setObjectCreate(
                ObjectCreateRequest.newBuilder().setName("v").setType(ObjectType.VALUE))
            .build());
    for (long value = 1; value <= 3; value++) {
      execute(
          leader,
          session,
          Call.newBuilder()
              .setValueSet(
                  ValueSetRequest.newBuilder()
                      .setName("v")
                      .setValue(Scalar.newBuilder().setLongValue(value)))
              .build());
      assertEquals(value, valueOf(leader, session), "value read after set " + value);
    }

    // Every follower turns a caller away, naming where the leader serves.
    for (String follower : nodes.keySet()) {
      if (follower.equals(leader)) {
        continue;
      }
      StatusRuntimeException refused =
          assertThrows(StatusRuntimeException.class, () -> open(follower));
      assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
      assertEquals(
          "127.0.0.1:" + nodes.get(leader).port(),
          refused.getTrailers().get(LeaderHints.LEADER),
          refused::toString);
      assertTrue(refused.getStatus().getDescription().contains(leader + " at "), refused::toString);
    }

    // The leader's dashboard shows the group; a follower's sends the browser there.
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> leaderPage =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + nodes.get(leader).httpPort() + "/api/status"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, leaderPage.statusCode());
    assertTrue(leaderPage.body().contains("\"raftAddress\""), leaderPage::body);
    for (String follower : nodes.keySet()) {
      if (!follower.equals(leader)) {
        HttpResponse<String> redirected =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + nodes.get(follower).httpPort() + "/api/status"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(307, redirected.statusCode(), redirected::body);
        assertEquals(
            "http://127.0.0.1:" + nodes.get(leader).httpPort() + "/api/status",
            redirected.headers().firstValue("Location").orElse(""));
      }
    }

    // The leader goes; the other two elect one of them, which still knows the session.
    nodes.remove(leader).shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    String next = awaitLeaderAnnounced(nodes.keySet());
    assertNotEquals(leader, next);
    StatusResponse after = status(next);
    assertEquals(1, after.getSessions(), after::toString);
    assertEquals(next, after.getCluster().getLeaderId());
    assertFalse(open(next).isEmpty(), "the new leader serves");
    assertEquals(3, valueOf(next, session), "the value read through the new leader");
  }

  private long valueOf(String node, String session) {
    return execute(
            node,
            session,
            Call.newBuilder().setValueGet(ValueGetRequest.newBuilder().setName("v")).build())
        .getValueGet()
        .getValue()
        .getLongValue();
  }

  private dev.colony.proto.v1.Reply execute(String node, String session, Call call) {
    Metadata headers = new Metadata();
    headers.put(SessionIdInterceptor.SESSION_ID_HEADER, session);
    return SessionServiceGrpc.newBlockingStub(channel(node))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .execute(call);
  }

  /** Waits until one of {@code candidates} serves as leader and has announced its address. */
  private String awaitLeaderAnnounced(Iterable<String> candidates) {
    String[] found = new String[1];
    await("a leader among " + candidates + " that serves status and knows its client address")
        .atMost(ELECTION)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (String id : candidates) {
                ClusterStatus cluster;
                try {
                  cluster = status(id).getCluster();
                } catch (StatusRuntimeException notLeader) {
                  continue; // a follower that knows the leader refuses status too
                }
                if (cluster.getLeaderId().equals(id)
                    && cluster.getNodesList().stream()
                        .filter(n -> nodes.containsKey(n.getId()))
                        .allMatch(
                            n -> !n.getAddress().isEmpty() && !n.getHttpAddress().isEmpty())) {
                  found[0] = id;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  private StatusResponse status(String node) {
    return AdminServiceGrpc.newBlockingStub(channel(node))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .status(StatusRequest.getDefaultInstance());
  }

  private String open(String node) {
    return SessionServiceGrpc.newBlockingStub(channel(node))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .open(SessionOpenRequest.newBuilder().setClientName("group-test").build())
        .getSessionId();
  }

  private ManagedChannel channel(String node) {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", nodes.get(node).port(), InsecureChannelCredentials.create())
            .build();
    channels.add(channel);
    return channel;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
