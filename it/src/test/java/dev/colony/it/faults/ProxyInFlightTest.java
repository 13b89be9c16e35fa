package dev.colony.it.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyQueue;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.FaultyProxy;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.QueueInfoResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Grants in flight when the network fails: an item whose reply is lost, an item handed to a session
 * that then expires behind a blackhole, a lock held by such a session.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProxyInFlightTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  private static CoordinatorProcess coordinator;

  private ExecutorService callers;

  @BeforeAll
  static void startCoordinator() throws TimeoutException {
    coordinator = CoordinatorProcess.start();
  }

  @AfterAll
  static void stopCoordinator() {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @BeforeEach
  void startCallers() {
    callers = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  /**
   * The reply carrying an item is lost (its connection reset as the coordinator sends it) and the
   * session re-attaches within its lease: the re-sent get is answered from the retry cache, so the
   * item reaches the consumer, ahead of items put after it, and nothing stays delivered-unacked.
   */
  @Test
  void itemWhoseReplyIsLost_reachesConsumerAfterReattach_beforeLaterItems() throws Exception {
    String name = "in-flight.reset";
    String item = "in-flight-item-7f3a";
    try (FaultyProxy proxy = FaultyProxy.start(coordinator.target(), 1);
        ColonyClient consumer =
            Colony.connect(ColonyOptions.newBuilder().setTarget(proxy.target()).build());
        ColonyClient direct = Colony.connect(coordinator.target());
        QueueProbe probe = new QueueProbe(coordinator.target())) {
      ColonyQueue<String> in = consumer.queue(name, String.class);
      ColonyQueue<String> out = direct.queue(name, String.class);
      CompletableFuture<String> taken = async(in::take);
      awaitWaitingGetters(probe, name, 1);
      int connectionsBefore = proxy.connections();

      proxy.resetWhenServerSends(item.getBytes(StandardCharsets.UTF_8));
      out.put(item);
      await("the proxy to reset the connection carrying '" + item + "' to the consumer")
          .atMost(BOUND)
          .until(() -> proxy.serverSendResets() == 1);
      out.put("after-1");
      out.put("after-2");

      assertEquals(item, taken.get(BOUND.toSeconds(), TimeUnit.SECONDS), "the first take");
      assertEquals("after-1", in.poll(BOUND.toSeconds(), TimeUnit.SECONDS), "the second take");
      assertEquals("after-2", in.poll(BOUND.toSeconds(), TimeUnit.SECONDS), "the third take");
      assertTrue(
          proxy.connections() > connectionsBefore,
          "the consumer did not reconnect: " + proxy.connections() + " connections");
      awaitDrained(probe, name);
    }
  }

  /**
   * An item handed by {@code takeDelivery} (at-least-once) to a session that is blackholed for
   * longer than its lease goes back to the queue when the lease ends and goes to another consumer;
   * the late reply (delivered when the blackhole ends) must not hand it to the first consumer as
   * well. (A plain take's item is removed when it is answered: see ColonyQueue.)
   */
  @Test
  void itemHandedToBlackholedSession_goesToAnotherConsumer_andNotAlsoToTheFirst() throws Exception {
    String name = "in-flight.blackhole";
    Duration ttl = Duration.ofSeconds(10);
    Duration blackhole = Duration.ofSeconds(15);
    try (FaultyProxy proxy = FaultyProxy.start(coordinator.target(), 2);
        ColonyClient first =
            Colony.connect(
                ColonyOptions.newBuilder().setTarget(proxy.target()).setSessionTtl(ttl).build());
        ColonyClient direct = Colony.connect(coordinator.target());
        ColonyClient second = Colony.connect(coordinator.target());
        QueueProbe probe = new QueueProbe(coordinator.target())) {
      ColonyQueue<String> firstQueue = first.queue(name, String.class);
      ColonyQueue<String> out = direct.queue(name, String.class);
      ColonyQueue<String> secondQueue = second.queue(name, String.class);
      CompletableFuture<String> firstTake = async(() -> firstQueue.takeDelivery().value());
      awaitWaitingGetters(probe, name, 1);

      // The scenario is "time passes": 15 s of silence against a 10 s lease.
      proxy.blackhole(blackhole);
      out.put("orphan");
      await("'orphan' handed to the blackholed session (delivered, unacked)")
          .atMost(BOUND)
          .until(
              () -> {
                QueueInfoResponse info = probe.info(name);
                return info.getSize() == 0 && info.getUnacked() == 1;
              });

      // Its lease runs out within the blackhole: the item goes back and to the second consumer.
      String redelivered = secondQueue.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
      assertEquals("orphan", redelivered, "what the second consumer got; " + probe.describe(name));
      assertTrue(proxy.isBlackholed(), "the blackhole ended before the lease did");

      // When the blackhole ends the late reply reaches the first client: it must not return it.
      try {
        String late = firstTake.get(BOUND.toSeconds() + blackhole.toSeconds(), TimeUnit.SECONDS);
        fail("the first consumer's take returned '" + late + "' after its session expired");
      } catch (ExecutionException e) {
        assertInstanceOf(ColonyException.class, e.getCause(), "why the first take failed");
      } catch (TimeoutException stillWaiting) {
        // Allowed: it keeps waiting. Closing the client must end it without the item.
        first.close();
        ExecutionException closed =
            assertThrows(
                ExecutionException.class,
                () -> firstTake.get(BOUND.toSeconds(), TimeUnit.SECONDS),
                "the take after the client closed");
        assertInstanceOf(ColonyException.class, closed.getCause());
      }
      assertFalse(proxy.isBlackholed());
      awaitDrained(probe, name);
      assertNull(secondQueue.poll(), "an item left after the redelivery");
    }
  }

  /**
   * A lock holder blackholed for longer than its lease stops claiming the lock, and another client
   * takes it with a higher fencing token.
   */
  @Test
  void lockOfExpiredSession_isNoLongerClaimed_andGoesOnWithHigherToken() throws Exception {
    String name = "in-flight.lock";
    Duration ttl = Duration.ofSeconds(2);
    try (FaultyProxy proxy = FaultyProxy.start(coordinator.target(), 3);
        ColonyClient holder =
            Colony.connect(
                ColonyOptions.newBuilder()
                    .setTarget(proxy.target())
                    .setSessionTtl(ttl)
                    .setCallTimeout(Duration.ofSeconds(5))
                    .build());
        ColonyClient other = Colony.connect(coordinator.target())) {
      ColonyLock lock = holder.lock(name);
      lock.lock();
      long holderToken = lock.fencingToken();
      assertTrue(lock.isHeldByCurrentThread());

      // The scenario is "time passes": 6 s of silence against a 2 s lease.
      proxy.blackhole(Duration.ofSeconds(6));
      ColonyLock otherLock = other.lock(name);
      assertTrue(
          otherLock.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS),
          "the lock did not pass on when the holder's lease ran out");
      try {
        long otherToken = otherLock.fencingToken();
        assertTrue(otherToken > holderToken, "token " + otherToken + " after " + holderToken);

        // The coordinator passed the lock on, so the holder's lease ran out: it must not claim it.
        assertHolderLetGo(lock);
        assertTrue(proxy.isBlackholed(), "the blackhole ended before the lock passed on");

        // After the blackhole the holder learns its session is gone; still no claim.
        await("the end of the 6 s blackhole").atMost(BOUND).until(() -> !proxy.isBlackholed());
        await("the holder client to find its session gone")
            .atMost(BOUND)
            .until(() -> sessionGone(holder));
        assertHolderLetGo(lock);
      } finally {
        otherLock.unlock();
      }
    }
  }

  private static void assertHolderLetGo(ColonyLock lock) {
    assertFalse(lock.isHeldByCurrentThread(), "isHeldByCurrentThread of the expired holder");
    assertEquals(0, lock.getHoldCount(), "getHoldCount of the expired holder");
    assertThrows(IllegalMonitorStateException.class, lock::fencingToken);
  }

  private static boolean sessionGone(ColonyClient client) {
    try {
      client.atomicLong("in-flight.lock.probe").get();
      return false;
    } catch (ColonyException e) {
      return e.reason() == ErrorReason.SESSION_NOT_FOUND;
    }
  }

  private interface Take {
    String get() throws InterruptedException;
  }

  private CompletableFuture<String> async(Take take) {
    CompletableFuture<String> result = new CompletableFuture<>();
    callers.execute(
        () -> {
          try {
            result.complete(take.get());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result;
  }

  private static void awaitWaitingGetters(QueueProbe probe, String name, int getters) {
    await("a take blocked on queue '" + name + "' at the coordinator")
        .atMost(BOUND)
        .until(() -> probe.info(name).getWaitingGetters() == getters);
  }

  private static void awaitDrained(QueueProbe probe, String name) {
    await("queue '" + name + "' empty with nothing delivered and unacknowledged")
        .atMost(BOUND)
        .until(
            () -> {
              QueueInfoResponse info = probe.info(name);
              return info.getSize() == 0 && info.getUnacked() == 0;
            });
  }
}
