package dev.colony.worker;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Tasks the worker tests run by name; static state is how they report back to a test. */
public final class TestTasks {
  private TestTasks() {}

  public static final class Square implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer argument, TaskContext context) {
      return argument * argument;
    }
  }

  public static final class Echo implements Task<String, String> {
    @Override
    public String call(String argument, TaskContext context) {
      return argument;
    }
  }

  /** A string of as many characters as asked for. */
  public static final class Sized implements Task<Integer, String> {
    @Override
    public String call(Integer length, TaskContext context) {
      return "x".repeat(length);
    }
  }

  /** Logs two lines, then fails. */
  public static final class LogsAndFails implements Task<String, String> {
    @Override
    public String call(String argument, TaskContext context) {
      context.logger().info("resizing {}", argument);
      context.logger().warn("almost out of {}", "memory");
      context.logger().debug("not shown: DEBUG is off in the tests' logging");
      throw new IllegalStateException("out of memory on " + argument);
    }
  }

  /** Logs as many numbered lines as its argument says. */
  public static final class LogsLines implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer lines, TaskContext context) {
      for (int i = 1; i <= lines; i++) {
        context.logger().info("line {}", i);
      }
      return lines;
    }
  }

  /** Fails with a cause chain. */
  public static final class Fails implements Task<String, String> {
    @Override
    public String call(String argument, TaskContext context) {
      throw new IllegalStateException(
          "failed on " + argument, new IOException("disk on fire", new ArithmeticException("/0")));
    }
  }

  /** Fails on the argument 3, so a chunk [1, 2, 3, 4] fails as a whole. */
  public static final class FailsOnThree implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer argument, TaskContext context) {
      if (argument == 3) {
        throw new IllegalArgumentException("three");
      }
      return argument;
    }
  }

  /** Blocks until interrupted, recording that it was, and whether its context says cancelled. */
  public static final class BlocksUntilInterrupted implements Task<String, String> {
    public static volatile CountDownLatch started = new CountDownLatch(1);
    public static final AtomicBoolean interrupted = new AtomicBoolean();
    public static final AtomicBoolean sawCancelled = new AtomicBoolean();

    public static void reset() {
      started = new CountDownLatch(1);
      interrupted.set(false);
      sawCancelled.set(false);
    }

    @Override
    public String call(String argument, TaskContext context) throws InterruptedException {
      started.countDown();
      try {
        new CountDownLatch(1).await(1, TimeUnit.MINUTES);
        return "not interrupted";
      } catch (InterruptedException e) {
        interrupted.set(true);
        sawCancelled.set(context.isCancelled());
        throw e;
      }
    }
  }

  /** Blocks until the test releases it; the drain test uses it. */
  public static final class WaitsForRelease implements Task<String, String> {
    public static volatile CountDownLatch started = new CountDownLatch(1);
    public static volatile CountDownLatch release = new CountDownLatch(1);

    public static void reset() {
      started = new CountDownLatch(1);
      release = new CountDownLatch(1);
    }

    @Override
    public String call(String argument, TaskContext context) throws InterruptedException {
      started.countDown();
      if (!release.await(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("never released");
      }
      return "done " + argument;
    }
  }

  /** Whether the slot thread starts this task with its interrupt flag set. */
  public static final class ReportsInterruptFlag implements Task<String, Boolean> {
    @Override
    public Boolean call(String argument, TaskContext context) {
      return Thread.currentThread().isInterrupted();
    }
  }

  /** Reports what its context says, joined by "|". */
  public static final class DescribesContext implements Task<String, String> {
    @Override
    public String call(String argument, TaskContext context) {
      return String.join(
          "|",
          context.name(),
          context.workerId(),
          context.workerHost(),
          Long.toString(context.workerPid()),
          Integer.toString(context.attempt()),
          Long.toString(context.taskId()),
          Thread.currentThread().getName());
    }
  }

  /** The argument's runtime class name: shows what an unresolved argument type decodes to. */
  @SuppressWarnings("rawtypes")
  public static final class RawTask implements Task {
    @Override
    public Object call(Object argument, TaskContext context) {
      return argument == null ? "null" : argument.getClass().getName();
    }
  }

  public record Point(int x, int y) {}

  public static final class PointSum implements Task<Point, Integer> {
    @Override
    public Integer call(Point argument, TaskContext context) {
      return argument.x() + argument.y();
    }
  }

  public static final class ListSize implements Task<List<String>, Integer> {
    @Override
    public Integer call(List<String> argument, TaskContext context) {
      return argument.size();
    }
  }

  /** Argument type bound through an abstract generic superclass. */
  public abstract static class Doubling<N extends Number> implements Task<N, Long> {
    @Override
    public Long call(N argument, TaskContext context) {
      return argument.longValue() * 2;
    }
  }

  public static final class DoublesIntegers extends Doubling<Integer> {}

  /** Argument type bound through a sub-interface. */
  public interface StringTask extends Task<String, Integer> {}

  public static final class Length implements StringTask {
    @Override
    public Integer call(String argument, TaskContext context) {
      return argument.length();
    }
  }

  /** A class on the classpath that is not a task. Its initializer must never run by name. */
  public static final class NotATask {
    static {
      NOT_A_TASK_INITIALIZED.set(true);
    }
  }

  /** Outside NotATask: reading a field of NotATask would itself initialize it. */
  public static final AtomicBoolean NOT_A_TASK_INITIALIZED = new AtomicBoolean();

  public static final class NoDefaultConstructor implements Task<String, String> {
    private final String prefix;

    public NoDefaultConstructor(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public String call(String argument, TaskContext context) {
      return prefix + argument;
    }
  }

  /** Uses the worker's shared client: counts calls in a coordinator AtomicLong. */
  public static final class CountsHits implements Task<String, Long> {
    @Override
    public Long call(String counter, TaskContext context) {
      return context.colony().atomicLong(counter).incrementAndGet();
    }
  }
}
