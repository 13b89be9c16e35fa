package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.ColonyBarrier;
import dev.colony.client.ColonyClient;
import dev.colony.it.support.ColonyExtension;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Colony Barrier against {@link java.util.concurrent.CyclicBarrier}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ColonyCyclicBarrierTest extends CyclicBarrierContract {

  @RegisterExtension static final ColonyExtension colony = new ColonyExtension();

  private ColonyClient client;

  @BeforeEach
  void connect(ColonyClient client) {
    this.client = client;
  }

  @Override
  protected Barrier newBarrier(int parties) {
    ColonyBarrier barrier = client.barrier(colony.name("barrier"), parties);
    return SameMethods.as(Barrier.class, ColonyBarrier.class, barrier);
  }

  @Override
  protected Barrier newBarrier(int parties, Runnable action) {
    ColonyBarrier barrier = client.barrier(colony.name("barrier"), parties, action);
    return SameMethods.as(Barrier.class, ColonyBarrier.class, barrier);
  }

  /** Beyond the JDK: the tripping party is another process, and it dies during its action. */
  @Test
  void action_whoseClientDiesBeforeItFinishes_breaksTheBarrierForTheOthers() throws Exception {
    String name = colony.name("barrier");
    ColonyBarrier waiting = client.barrier(name, 2);
    CountDownLatch actionStarted = new CountDownLatch(1);
    CountDownLatch endAction = new CountDownLatch(1);
    Future<Integer> other = threads.submit(waiting::await);
    Awaitility.await().atMost(Concurrently.WAIT).until(() -> waiting.getNumberWaiting() == 1);
    try (ColonyClient dying = colony.newClient()) {
      ColonyBarrier tripping =
          dying.barrier(
              name,
              2,
              () -> {
                actionStarted.countDown();
                awaitQuietly(endAction);
              });
      threads.run(tripping::await);
      assertTrue(actionStarted.await(Concurrently.WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertFalse(waiting.isBroken());
      assertFalse(other.isDone());
    } finally {
      endAction.countDown();
    }
    ExecutionException e = assertThrows(ExecutionException.class, () -> Concurrently.get(other));
    assertTrue(e.getCause() instanceof BrokenBarrierException, e.toString());
    assertTrue(waiting.isBroken());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(Concurrently.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
