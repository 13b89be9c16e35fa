package dev.colony.worker;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads tasks run on, named "colony-worker-task-%d". Virtual threads come through reflection
 * because the build targets Java 17.
 */
final class TaskThreads {
  static final String PREFIX = "colony-worker-task-";
  static final int VIRTUAL_THREADS_SINCE = 21;

  private TaskThreads() {}

  /**
   * The slot executor. The coordinator never sends more tasks than the worker has free slots plus
   * its prefetch, so its queue stays short; a platform pool has exactly {@code slots} threads.
   */
  static ExecutorService newExecutor(int slots, boolean virtual) {
    if (virtual) {
      return newVirtualThreadPerTaskExecutor();
    }
    AtomicInteger next = new AtomicInteger(1);
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, PREFIX + next.getAndIncrement());
          // A task that ignores interrupts must not keep the JVM alive after shutdown.
          thread.setDaemon(true);
          return thread;
        };
    return new ThreadPoolExecutor(
        slots, slots, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
  }

  static void requireVirtualThreads() {
    int feature = Runtime.version().feature();
    if (feature < VIRTUAL_THREADS_SINCE) {
      throw new UnsupportedOperationException(
          "virtual threads need Java "
              + VIRTUAL_THREADS_SINCE
              + " or newer; this is Java "
              + feature);
    }
  }

  private static ExecutorService newVirtualThreadPerTaskExecutor() {
    requireVirtualThreads();
    try {
      // Thread.ofVirtual().name(PREFIX, 1).factory(), then Executors.newThreadPerTaskExecutor.
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      builder = builderType.getMethod("name", String.class, long.class).invoke(builder, PREFIX, 1L);
      ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
      Method perTask =
          java.util.concurrent.Executors.class.getMethod(
              "newThreadPerTaskExecutor", ThreadFactory.class);
      return (ExecutorService) perTask.invoke(null, factory);
    } catch (ReflectiveOperationException e) {
      throw new UnsupportedOperationException("virtual threads are not available: " + e, e);
    }
  }
}
