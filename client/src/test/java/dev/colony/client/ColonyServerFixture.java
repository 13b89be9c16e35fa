package dev.colony.client;

import dev.colony.server.ColonyServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One coordinator on 127.0.0.1:0 shared by every server-backed test in this JVM (starting one per
 * class would dominate the test time); tests keep apart by using fresh object names.
 */
final class ColonyServerFixture {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static ColonyServer server;

  private ColonyServerFixture() {}

  static synchronized String target() {
    if (server == null) {
      server = ColonyServer.forAddress("127.0.0.1", 0).start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    }
    return "127.0.0.1:" + server.port();
  }

  static ColonyClient connect() {
    return Colony.connect(
        ColonyOptions.newBuilder()
            .setTarget(target())
            .setClientName("client-test")
            .setSessionTtl(Duration.ofSeconds(5))
            .build());
  }

  /**
   * Runs a blocking task on its own thread: the common pool has one thread on a 2-core machine, and
   * blocked proxy calls would starve each other there.
   */
  static <T> CompletableFuture<T> supplyAsync(Supplier<T> task) {
    return CompletableFuture.supplyAsync(task, ColonyServerFixture::startThread);
  }

  static CompletableFuture<Void> runAsync(Runnable task) {
    return CompletableFuture.runAsync(task, ColonyServerFixture::startThread);
  }

  private static void startThread(Runnable runnable) {
    Thread thread = new Thread(runnable, "test-" + NAMES.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  /** A name no other test uses. */
  static String name(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet();
  }
}
