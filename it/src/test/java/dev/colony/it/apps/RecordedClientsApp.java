package dev.colony.it.apps;

import com.google.common.util.concurrent.RateLimiter;
import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyList;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyQueue;
import dev.colony.it.support.History;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code clients} clients in one JVM, each a thread with its own connection (its own session),
 * recording every operation's invocation and outcome in a {@link History} file. A call that throws
 * is recorded as of unknown outcome and the client goes on, except on the lock, where a client that
 * does not know whether it holds the lock stops. Every tenth acknowledged operation of the JVM it
 * prints {@code ACKED <count>}, so the test sees progress without reading the history. They run
 * until a {@code STOP} line on stdin, then the JVM prints {@code DONE}. Each client starts at most
 * {@code rate} operations (lock turns for {@code turns}) a second: enough calls in flight at every
 * moment to be load, without taking the CPU the coordinators need to fail over on a shared machine.
 * Args: role target name historyFile clients rate [from], where role is
 *
 * <ul>
 *   <li>{@code put}: puts {@code from}, {@code from+1}, ... (each number once, across the clients)
 *       into queue {@code name};
 *   <li>{@code take}: takes from queue {@code name} until it takes a negative number (a poison
 *       pill, one per client); STOP is not needed;
 *   <li>{@code incr}: incrementAndGet on AtomicLong {@code name};
 *   <li>{@code turns}: takes turns on lock {@code name}, and while holding it appends the fencing
 *       token it was granted to list {@code name-writes}, the protected object.
 * </ul>
 */
public final class RecordedClientsApp {
  private static final AtomicLong ACKED = new AtomicLong();
  private static volatile boolean stopping;

  public static void main(String[] args) {
    AppSupport.run(
        () -> {
          String role = args[0];
          String target = args[1];
          String name = args[2];
          int clients = Integer.parseInt(args[4]);
          double rate = Double.parseDouble(args[5]);
          long from = args.length > 6 ? Long.parseLong(args[6]) : 0;
          Thread stdin = new Thread(RecordedClientsApp::awaitStop, "stop-reader");
          stdin.setDaemon(true);
          stdin.start();
          try (History.Recorder recorder = new History.Recorder(Path.of(args[3]))) {
            long[] next = {from};
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
              String id = role + "-" + from + "-" + c;
              History.Recorder.Client history = recorder.client(id);
              RateLimiter pace = RateLimiter.create(rate);
              Thread thread =
                  new Thread(
                      () -> {
                        try (ColonyClient client = AppSupport.connect(target, id)) {
                          switch (role) {
                            case "put" -> put(client.queue(name, Long.class), history, pace, next);
                            case "take" -> take(client.queue(name, Long.class), history);
                            case "incr" -> increment(client.atomicLong(name), history, pace);
                            case "turns" ->
                                turns(
                                    client.lock(name),
                                    client.list(name + "-writes", Long.class),
                                    history,
                                    pace);
                            default -> throw new IllegalArgumentException("role " + role);
                          }
                        } catch (Throwable e) {
                          synchronized (failures) {
                            failures.add(e);
                          }
                        }
                      },
                      id);
              thread.start();
              threads.add(thread);
            }
            AppSupport.report("READY");
            for (Thread thread : threads) {
              thread.join();
            }
            if (!failures.isEmpty()) {
              throw new IllegalStateException("a client failed", failures.get(0));
            }
          }
          AppSupport.report("DONE");
        });
  }

  private static void put(
      ColonyQueue<Long> queue, History.Recorder.Client history, RateLimiter pace, long[] next) {
    while (!stopping) {
      pace.acquire();
      long item;
      synchronized (next) {
        item = next[0]++;
      }
      history.invoke("put", item);
      try {
        queue.put(item);
        history.ok("put", null);
        acked();
      } catch (Exception e) {
        history.unknown("put");
      }
    }
  }

  private static void take(ColonyQueue<Long> queue, History.Recorder.Client history) {
    while (true) {
      history.invoke("take", null);
      long item;
      try {
        item = queue.take();
      } catch (Exception e) {
        history.unknown("take");
        continue;
      }
      history.ok("take", item);
      acked();
      if (item < 0) {
        return;
      }
    }
  }

  private static void increment(
      ColonyAtomicLong counter, History.Recorder.Client history, RateLimiter pace) {
    while (!stopping) {
      pace.acquire();
      history.invoke("incr", null);
      long value;
      try {
        value = counter.incrementAndGet();
      } catch (Exception e) {
        history.unknown("incr");
        continue;
      }
      history.ok("incr", value);
      acked();
    }
  }

  private static void turns(
      ColonyLock lock, ColonyList<Long> writes, History.Recorder.Client history, RateLimiter pace) {
    while (!stopping) {
      pace.acquire();
      history.invoke("lock", null);
      try {
        lock.lock();
      } catch (RuntimeException e) {
        history.unknown("lock");
        throw e;
      }
      long token = lock.fencingToken();
      history.ok("lock", token);
      try {
        history.invoke("write", token);
        try {
          writes.add(token);
        } catch (RuntimeException e) {
          history.unknown("write");
          throw e;
        }
        history.ok("write", null);
        acked();
      } finally {
        history.invoke("unlock", null);
        try {
          lock.unlock();
        } catch (RuntimeException e) {
          history.unknown("unlock");
          throw e;
        }
        history.ok("unlock", null);
      }
    }
  }

  private static void acked() {
    long count = ACKED.incrementAndGet();
    if (count % 10 == 0) {
      AppSupport.report("ACKED " + count);
    }
  }

  private static void awaitStop() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("STOP")) {
          break;
        }
      }
    } catch (Exception e) {
      // stdin closed: the test is gone, and so should the clients be.
    }
    stopping = true;
  }
}
