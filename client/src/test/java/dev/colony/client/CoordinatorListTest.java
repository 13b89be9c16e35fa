package dev.colony.client;

import static dev.colony.client.ColonyServerFixture.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SDK given several coordinators: it finds the one that serves, as a replicated group's. */
@Timeout(60)
class CoordinatorListTest {

  @Test
  void followerThenLeader_queueAndLockWork() throws Exception {
    String leader = ColonyServerFixture.target();
    try (FakeFollower follower = FakeFollower.start("n2", leader);
        ColonyClient client = connect(follower.address() + "," + leader)) {
      useQueueAndLock(client);
    }
  }

  @Test
  void followerOnly_itsHintLeadsToTheLeader() throws Exception {
    String leader = ColonyServerFixture.target();
    try (FakeFollower follower = FakeFollower.start("n2", leader);
        ColonyClient client = connect(follower.address())) {
      useQueueAndLock(client);
    }
  }

  @Test
  void firstAddressDead_connectsToTheSecond() throws Exception {
    try (ColonyClient client =
        connect("127.0.0.1:" + freePort() + ", " + ColonyServerFixture.target())) {
      useQueueAndLock(client);
    }
  }

  @Test
  void followerWithoutLeader_refusalsUntilTheConnectTimeout() throws Exception {
    try (FakeFollower follower = FakeFollower.start("n2", null)) {
      ColonyOptions options =
          ColonyOptions.newBuilder()
              .setTarget(follower.address())
              .setConnectTimeout(Duration.ofMillis(500))
              .build();

      ColonyException e = assertThrows(ColonyException.class, () -> Colony.connect(options));

      assertEquals(ColonyException.Code.UNAVAILABLE, e.code());
      assertTrue(e.getMessage().contains(follower.description()), e.getMessage());
    }
  }

  @Test
  void malformedEntry_namedInTheError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Colony.connect(ColonyServerFixture.target() + ",h2"));

    assertEquals(
        "the coordinator address is HOST:PORT, e.g. 127.0.0.1:7070; got h2", e.getMessage());
  }

  private static ColonyClient connect(String target) {
    return Colony.connect(
        ColonyOptions.newBuilder()
            .setTarget(target)
            .setClientName("list-test")
            .setSessionTtl(Duration.ofSeconds(5))
            .setConnectTimeout(Duration.ofSeconds(10))
            .build());
  }

  private static void useQueueAndLock(ColonyClient client) throws InterruptedException {
    BlockingQueue<String> queue = client.queue(name("list-q"), String.class);
    queue.put("item");
    assertEquals("item", queue.poll(5, TimeUnit.SECONDS));
    Lock lock = client.lock(name("list-lock"));
    assertTrue(lock.tryLock(5, TimeUnit.SECONDS), "the lock was not granted within 5 s");
    lock.unlock();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
