package dev.colony.it.contract;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** Runs test actions on other threads and bounds every wait for them. */
final class Concurrently implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);

  private final ExecutorService executor = Executors.newCachedThreadPool();

  <T> Future<T> submit(Callable<T> action) {
    return executor.submit(action);
  }

  Future<?> run(ThrowingRunnable action) {
    return executor.submit(
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * Waits until {@code thread} is parked: on a JDK object, or on a Colony call's reply. Either way
   * an interrupt from then on hits a waiting caller.
   */
  static void awaitParked(Thread thread) {
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                thread.getState() == Thread.State.WAITING
                    || thread.getState() == Thread.State.TIMED_WAITING);
  }

  static <T> T get(Future<T> future) throws Exception {
    return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
