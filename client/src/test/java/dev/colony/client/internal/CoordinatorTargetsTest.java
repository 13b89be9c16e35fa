package dev.colony.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.colony.client.ColonyChannels;
import dev.colony.client.ColonyOptions;
import dev.colony.client.FakeFollower;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resolver and the leader-hint interceptor together, on loopback: fake coordinators that refuse
 * every call, each saying who it is, show where each call went.
 */
@Timeout(30)
class CoordinatorTargetsTest {
  private static final MethodDescriptor<InputStream, InputStream> PROBE =
      MethodDescriptor.<InputStream, InputStream>newBuilder()
          .setFullMethodName("colony.test.Probe/Call")
          .setType(MethodDescriptor.MethodType.UNARY)
          .setRequestMarshaller(FakeFollower.Raw.INSTANCE)
          .setResponseMarshaller(FakeFollower.Raw.INSTANCE)
          .build();

  private ManagedChannel channel;

  @AfterEach
  void closeChannel() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void followerNamesTheLeader_nextCallGoesToTheLeader() throws Exception {
    try (FakeFollower leader = FakeFollower.start("b", null);
        FakeFollower follower = FakeFollower.start("a", leader.address())) {
      channel = channelTo(follower.address() + "," + leader.address());

      StatusRuntimeException first = call();
      assertEquals(follower.description(), first.getStatus().getDescription());
      assertEquals(Optional.of(leader.address()), ColonyChannels.leaderHint(first));

      assertEquals(leader.description(), call().getStatus().getDescription());
    }
  }

  @Test
  void singleFollower_itsHintLeadsOutsideTheList() throws Exception {
    try (FakeFollower leader = FakeFollower.start("b", null);
        FakeFollower follower = FakeFollower.start("a", leader.address())) {
      channel = channelTo(follower.address());

      assertEquals(follower.description(), call().getStatus().getDescription());
      assertEquals(leader.description(), call().getStatus().getDescription());
    }
  }

  @Test
  void leaderGone_channelGoesBackToTheList() throws Exception {
    FakeFollower leader = FakeFollower.start("b", null);
    try (FakeFollower follower = FakeFollower.start("a", leader.address())) {
      channel = channelTo(follower.address() + "," + leader.address());
      call();
      assertEquals(leader.description(), call().getStatus().getDescription());

      leader.close();
      awaitNotReady();

      // The leader first (refused now), then the rest of the list: the follower answers again.
      assertEquals(follower.description(), call().getStatus().getDescription());
    } finally {
      leader.close();
    }
  }

  @Test
  void memberThatKnowsNoLeader_channelMovesToTheOthersAndStaysThere() throws Exception {
    try (FakeFollower cutOff = FakeFollower.startCutOff("a");
        FakeFollower other = FakeFollower.start("b", null)) {
      channel = channelTo(cutOff.address() + "," + other.address());

      assertEquals(cutOff.description(), call().getStatus().getDescription());
      assertEquals(other.description(), call().getStatus().getDescription());
      // pick_first re-resolves when it drops the cut-off member; it must not go back to it.
      assertEquals(other.description(), call().getStatus().getDescription());
    }
  }

  @Test
  void firstAddressDead_connectsToTheNext() throws Exception {
    try (FakeFollower second = FakeFollower.start("b", null)) {
      channel = channelTo("127.0.0.1:" + freePort() + "," + second.address());

      assertEquals(second.description(), call().getStatus().getDescription());
    }
  }

  @Test
  void hostNames_lookedUpInTheBackground_thenTheLeaderNamed() throws Exception {
    try (FakeFollower leader = FakeFollower.start("b", null);
        FakeFollower follower = FakeFollower.start("a", leader.address())) {
      channel = channelTo("localhost:" + freePort() + ",localhost:" + follower.port());

      assertEquals(follower.description(), call().getStatus().getDescription());
      assertEquals(leader.description(), call().getStatus().getDescription());
    }
  }

  @Test
  void leaderHint_onlyFromUnavailableWithTheTrailer() {
    assertEquals(
        Optional.empty(),
        ColonyChannels.leaderHint(io.grpc.Status.UNAVAILABLE.asRuntimeException()));
    io.grpc.Metadata trailers = new io.grpc.Metadata();
    trailers.put(CoordinatorTargets.LEADER_TRAILER, "h1:7070");
    assertEquals(
        Optional.empty(),
        ColonyChannels.leaderHint(io.grpc.Status.INTERNAL.asRuntimeException(trailers)));
    assertEquals(
        Optional.of("h1:7070"),
        ColonyChannels.leaderHint(io.grpc.Status.UNAVAILABLE.asRuntimeException(trailers)));
  }

  @Test
  void parse_namesEveryMalformedAddress() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CoordinatorTargets.parse("h1:7070,nope,h3:99999"));

    assertEquals(
        String.join(
            System.lineSeparator(),
            "the coordinator address is HOST:PORT, e.g. 127.0.0.1:7070; got nope",
            "the port of the coordinator address h3:99999 is out of range: it must be between 1"
                + " and 65535"),
        e.getMessage());
  }

  /** Waits up to 5 s for the channel to notice its connection is gone. */
  private void awaitNotReady() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    ConnectivityState state = channel.getState(false);
    while (state == ConnectivityState.READY) {
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      long left = deadline - System.nanoTime();
      if (left <= 0 || !changed.await(left, TimeUnit.NANOSECONDS)) {
        throw new AssertionError("the channel still had its connection to the leader after 5 s");
      }
      state = channel.getState(false);
    }
  }

  private static ManagedChannel channelTo(String target) {
    return ColonyChannels.newChannelBuilder(ColonyOptions.newBuilder().setTarget(target).build())
        .build();
  }

  /** One call, waiting for a connection up to 5 s; every fake refuses it. */
  private StatusRuntimeException call() {
    return assertThrows(
        StatusRuntimeException.class,
        () ->
            ClientCalls.blockingUnaryCall(
                channel,
                PROBE,
                CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(5, TimeUnit.SECONDS),
                new ByteArrayInputStream(new byte[0])));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
