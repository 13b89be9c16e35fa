package dev.colony.it.apps;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyQueue;
import dev.colony.client.ColonySemaphore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A long-lived client JVM that runs scenario steps sent on stdin, so one JVM serves many tests.
 * Each stdin line is {@code <id> <op> <args...>} and runs on its own thread; the agent answers
 * {@code <id> OK <result>} or {@code <id> ERR <exception>}, with progress lines {@code <id> <WORD>
 * ...} in between. Locks are owned per thread, so a step that locks also unlocks. Args: target.
 */
public final class AgentApp {

  private final ColonyClient client;

  private AgentApp(ColonyClient client) {
    this.client = client;
  }

  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          try (ColonyClient client = AppSupport.connect(args[0], "agent")) {
            AgentApp agent = new AgentApp(client);
            AppSupport.report("READY " + client.sessionId());
            BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("exit")) {
              String[] words = line.trim().split(" ");
              Thread step = new Thread(() -> agent.runStep(words), "step-" + words[0]);
              step.setDaemon(true);
              step.start();
            }
          }
        });
  }

  private void runStep(String[] words) {
    String id = words[0];
    String[] args = Arrays.copyOfRange(words, 2, words.length);
    try {
      String result =
          switch (words[1]) {
            case "barrier" -> barrier(args);
            case "eventWait" -> eventWait(args);
            case "conditionWait" -> conditionWait(id, args);
            case "rlockTwice" -> rlockTwice(id, args);
            case "semaphoreWork" -> semaphoreWork(args);
            case "queueWork" -> queueWork(args);
            case "poll" -> poll(args);
            default -> throw new IllegalArgumentException("unknown op " + words[1]);
          };
      AppSupport.report(id + " OK " + result);
    } catch (Throwable t) {
      t.printStackTrace();
      AppSupport.report(id + " ERR " + t);
    }
  }

  /** barrier name parties → arrival index. */
  private String barrier(String[] a) throws Exception {
    return String.valueOf(client.barrier(a[0], Integer.parseInt(a[1])).await(30, TimeUnit.SECONDS));
  }

  /** eventWait name timeoutMillis → whether the event was set in time. */
  private String eventWait(String[] a) throws InterruptedException {
    return String.valueOf(client.event(a[0]).await(Long.parseLong(a[1]), TimeUnit.MILLISECONDS));
  }

  /**
   * conditionWait lock flag: locks, reports WAITING, awaits the lock's condition until Value flag
   * is non-zero → the hold count after waking.
   */
  private String conditionWait(String id, String[] a) throws InterruptedException {
    ColonyLock lock = client.lock(a[0]);
    Condition condition = lock.newCondition();
    ColonyAtomicLong flag = client.atomicLong(a[1]);
    lock.lock();
    try {
      AppSupport.report(id + " WAITING");
      while (flag.get() == 0) {
        if (!condition.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("no signal within 30 s");
        }
      }
      return String.valueOf(lock.isHeldByCurrentThread());
    } finally {
      lock.unlock();
    }
  }

  /**
   * rlockTwice rlock step1 step2: locks twice (reports HELD holdCount), unlocks once after Event
   * step1 is set (reports ONE holdCount), unlocks again after Event step2 → final hold count.
   */
  private String rlockTwice(String id, String[] a) throws InterruptedException {
    ColonyLock lock = client.rlock(a[0]);
    lock.lock();
    lock.lock();
    AppSupport.report(id + " HELD " + lock.getHoldCount() + " " + lock.fencingToken());
    awaitEvent(a[1]);
    lock.unlock();
    AppSupport.report(id + " ONE " + lock.getHoldCount());
    awaitEvent(a[2]);
    lock.unlock();
    return String.valueOf(lock.getHoldCount());
  }

  private void awaitEvent(String name) throws InterruptedException {
    if (!client.event(name).await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("event " + name + " not set within 30 s");
    }
  }

  /**
   * semaphoreWork semaphore permits guard holders most threads rounds: each of {@code threads}
   * threads, {@code rounds} times, acquires a permit and counts itself in Value holders (and the
   * high-water mark in Value most) under Lock guard, then counts itself out and releases.
   */
  private String semaphoreWork(String[] a) throws Exception {
    ColonySemaphore semaphore = client.semaphore(a[0], Integer.parseInt(a[1]));
    ColonyLock guard = client.lock(a[2]);
    ColonyAtomicLong holders = client.atomicLong(a[3]);
    ColonyAtomicLong most = client.atomicLong(a[4]);
    int rounds = Integer.parseInt(a[6]);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < Integer.parseInt(a[5]); t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int r = 0; r < rounds; r++) {
                    semaphore.acquire();
                    try {
                      withLock(
                          guard, () -> most.set(Math.max(most.get(), holders.incrementAndGet())));
                      withLock(guard, holders::decrementAndGet);
                    } finally {
                      semaphore.release();
                    }
                  }
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("worker failed", failures.get(0));
    }
    return "done";
  }

  private static void withLock(ColonyLock lock, Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  /** queueWork queue count: takes {@code count} items, marking each task_done → the items. */
  private String queueWork(String[] a) throws InterruptedException {
    ColonyQueue<String> queue = client.queue(a[0], String.class);
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(a[1]); i++) {
      taken.add(queue.take());
      queue.taskDone();
    }
    return String.join(",", taken);
  }

  /** poll queue timeoutMillis → the item or "null", and the milliseconds waited. */
  private String poll(String[] a) throws InterruptedException {
    ColonyQueue<String> queue = client.queue(a[0], String.class);
    long start = System.nanoTime();
    String item = queue.poll(Long.parseLong(a[1]), TimeUnit.MILLISECONDS);
    return item + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
