package dev.colony.it.tasks;

import dev.colony.client.PipeEnd;
import dev.colony.client.PipeSide;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.io.EOFException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks run by the in-JVM worker; statics let them report to the test. */
final class TestTasks {
  private TestTasks() {}

  /** x * x. */
  public static final class Square implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer x, TaskContext context) {
      return x * x;
    }
  }

  /** The number of primes below n, by trial division: CPU-bound on purpose. */
  public static final class CountPrimes implements Task<Long, Long> {
    @Override
    public Long call(Long n, TaskContext context) {
      return countPrimesBelow(n);
    }

    static long countPrimesBelow(long n) {
      long count = 0;
      for (long candidate = 2; candidate < n; candidate++) {
        boolean prime = true;
        for (long d = 2; d * d <= candidate; d++) {
          if (candidate % d == 0) {
            prime = false;
            break;
          }
        }
        if (prime) {
          count++;
        }
      }
      return count;
    }
  }

  /** A record argument for starmap. */
  public record Range(long from, long to, String label) {}

  /** "label=sum(from..to)". */
  public static final class SumRange implements Task<Range, String> {
    @Override
    public String call(Range range, TaskContext context) {
      long sum = 0;
      for (long i = range.from(); i <= range.to(); i++) {
        sum += i;
      }
      return range.label() + "=" + sum;
    }
  }

  /** Records the task id of every call, to count the tasks a chunked map used. */
  public static final class RecordsTaskId implements Task<Integer, Integer> {
    static final Set<Long> taskIds = ConcurrentHashMap.newKeySet();

    @Override
    public Integer call(Integer x, TaskContext context) {
      taskIds.add(context.taskId());
      return x + 1;
    }
  }

  /** Fails on multiples of 3 (with a cause); counts every call. */
  public static final class FailsOnMultiplesOfThree implements Task<Integer, Integer> {
    static final AtomicInteger calls = new AtomicInteger();

    @Override
    public Integer call(Integer x, TaskContext context) {
      calls.incrementAndGet();
      if (x % 3 == 0) {
        throw new IllegalStateException(
            "no multiples of three: " + x, new ArithmeticException("divisible by 3"));
      }
      return x * 10;
    }
  }

  /** Blocks until released or interrupted; says when it started and when it was interrupted. */
  public static final class Blocks implements Task<String, String> {
    static volatile CountDownLatch started = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);
    static volatile CountDownLatch interrupted = new CountDownLatch(1);

    static void reset() {
      started = new CountDownLatch(1);
      release = new CountDownLatch(1);
      interrupted = new CountDownLatch(1);
    }

    @Override
    public String call(String argument, TaskContext context) throws InterruptedException {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return argument + " done on " + context.workerId() + " as " + context.name();
    }
  }

  /** The pipe test's argument: pipe name and rounds. */
  public record PingArgs(String pipe, int rounds) {}

  /** Side A: sends 1..rounds, expects each back plus one, then closes; returns the sum read. */
  public static final class Ping implements Task<PingArgs, Long> {
    @Override
    public Long call(PingArgs args, TaskContext context) throws Exception {
      long sum = 0;
      try (PipeEnd<Long> end = context.colony().pipe(args.pipe(), Long.class, PipeSide.A)) {
        for (long i = 1; i <= args.rounds(); i++) {
          end.send(i);
          long back = end.recv();
          if (back != i + 1) {
            throw new IllegalStateException("sent " + i + ", got back " + back);
          }
          sum += back;
        }
      }
      return sum;
    }
  }

  /** Side B: answers every message with message + 1 until EOF; returns how many it answered. */
  public static final class Pong implements Task<PingArgs, Integer> {
    @Override
    public Integer call(PingArgs args, TaskContext context) throws Exception {
      int answered = 0;
      try (PipeEnd<Long> end = context.colony().pipe(args.pipe(), Long.class, PipeSide.B)) {
        while (true) {
          long message;
          try {
            message = end.recv();
          } catch (EOFException e) {
            return answered;
          }
          end.send(message + 1);
          answered++;
        }
      }
    }
  }
}
