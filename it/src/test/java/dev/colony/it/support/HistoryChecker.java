package dev.colony.it.support;

import dev.colony.it.support.History.Event;
import dev.colony.it.support.History.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks recorded {@link History histories} against what the coordinator promises. Each check
 * returns the violations it found, empty when the history is valid. Outcomes a client could not
 * know ({@code unknown}, or an invocation that never completed) may have happened or not, and the
 * checks allow both.
 *
 * <ul>
 *   <li>Queue ({@code put} with the item, {@code take} completing with it; negative items are
 *       poison pills and not checked): every acknowledged put is taken exactly once, except that
 *       each take of unknown outcome may have taken one of them unseen; a put of unknown outcome is
 *       taken at most once; nothing is taken that was never put.
 *   <li>Counter ({@code incr} completing with the value incrementAndGet returned): no value is
 *       returned twice, and the final value is at least the acknowledged increments and at most
 *       those plus the increments of unknown outcome.
 *   <li>Lock ({@code lock} completing with the fencing token granted, {@code write} of that token
 *       to the protected object while holding, {@code unlock}): no token is granted twice; tokens
 *       never go backwards, neither in one client's turns nor in real time (a grant that completed
 *       before another was invoked has the smaller token); in token order, no two holds overlap (a
 *       hold runs from its grant to its unlock); and the protected object's writes are in token
 *       order, holding every acknowledged write and nothing never written.
 * </ul>
 */
public final class HistoryChecker {
  private static final int SHOWN = 20;

  private HistoryChecker() {}

  /** One operation: its invocation and completion, UNKNOWN if it never completed. */
  record Op(
      String client,
      String op,
      Long argument,
      Type outcome,
      Long result,
      long invoked,
      long completed) {
    boolean ok() {
      return outcome == Type.OK;
    }

    boolean unknown() {
      return outcome == Type.UNKNOWN;
    }
  }

  /** The violations of the queue rules in {@code events}. */
  public static List<String> checkQueue(List<Event> events) {
    List<String> violations = new ArrayList<>();
    List<Op> ops = operations(events, violations);
    Map<Long, Op> puts = new HashMap<>();
    Map<Long, List<Op>> takes = new HashMap<>();
    long unknownTakes = 0;
    for (Op op : ops) {
      if (op.op().equals("put") && op.argument() != null && op.argument() >= 0) {
        if (puts.putIfAbsent(op.argument(), op) != null) {
          violations.add("item " + op.argument() + " put twice: the test's own mistake");
        }
      } else if (op.op().equals("take")) {
        if (op.ok() && op.result() != null && op.result() >= 0) {
          takes.computeIfAbsent(op.result(), k -> new ArrayList<>()).add(op);
        } else if (op.unknown()) {
          unknownTakes++;
        }
      }
    }
    List<String> twice = new ArrayList<>();
    List<String> neverPut = new ArrayList<>();
    takes.forEach(
        (item, by) -> {
          if (by.size() > 1) {
            twice.add(item + " by " + by.stream().map(Op::client).toList());
          }
          Op put = puts.get(item);
          if (put == null || put.outcome() == Type.FAIL) {
            neverPut.add(item + " by " + by.get(0).client());
          }
        });
    report(violations, "items delivered more than once", twice);
    report(violations, "items taken that were never put", neverPut);
    List<Long> lost =
        puts.values().stream()
            .filter(p -> p.ok() && !takes.containsKey(p.argument()))
            .map(Op::argument)
            .sorted()
            .toList();
    if (lost.size() > unknownTakes) {
      violations.add(
          lost.size()
              + " acknowledged items never taken, more than the "
              + unknownTakes
              + " takes of unknown outcome could have taken unseen; first: "
              + lost.subList(0, Math.min(SHOWN, lost.size())));
    }
    return violations;
  }

  /** The violations of the counter rules in {@code events}, the counter ending at {@code last}. */
  public static List<String> checkCounter(List<Event> events, long last) {
    List<String> violations = new ArrayList<>();
    List<Op> ops = operations(events, violations);
    Map<Long, List<String>> returned = new HashMap<>();
    long acked = 0;
    long unknown = 0;
    for (Op op : ops) {
      if (!op.op().equals("incr")) {
        continue;
      }
      if (op.ok()) {
        acked++;
        returned.computeIfAbsent(op.result(), k -> new ArrayList<>()).add(op.client());
      } else if (op.unknown()) {
        unknown++;
      }
    }
    List<String> twice = new ArrayList<>();
    returned.forEach(
        (value, by) -> {
          if (by.size() > 1) {
            twice.add(value + " to " + by);
          }
        });
    report(violations, "counter values returned more than once", twice);
    if (last < acked || last > acked + unknown) {
      violations.add(
          "the counter ends at "
              + last
              + ", not between the "
              + acked
              + " acknowledged increments and those plus the "
              + unknown
              + " of unknown outcome");
    }
    returned.keySet().stream()
        .filter(v -> v < 1 || v > last)
        .findFirst()
        .ifPresent(v -> violations.add("value " + v + " returned, outside 1.." + last));
    return violations;
  }

  /**
   * The violations of the lock rules in {@code events}; {@code written} is the protected object's
   * content, the tokens its writes carried in the order it took them.
   */
  public static List<String> checkLock(List<Event> events, List<Long> written) {
    List<String> violations = new ArrayList<>();
    List<Op> ops = operations(events, violations);
    record Hold(String client, long token, long granted, long invoked, Long released) {}

    List<Hold> holds = new ArrayList<>();
    Map<String, Hold> holding = new HashMap<>();
    Map<String, Long> lastToken = new HashMap<>();
    Set<Long> writesInvoked = new HashSet<>();
    List<Long> writesAcked = new ArrayList<>();
    List<String> backwards = new ArrayList<>();
    List<String> unheld = new ArrayList<>();
    for (Op op : ops) {
      String client = op.client();
      switch (op.op()) {
        case "lock" -> {
          if (!op.ok()) {
            continue;
          }
          Long before = lastToken.put(client, op.result());
          if (before != null && op.result() <= before) {
            backwards.add(client + " was granted " + op.result() + " after " + before);
          }
          holding.put(client, new Hold(client, op.result(), op.completed(), op.invoked(), null));
        }
        case "write" -> {
          Hold hold = holding.get(client);
          if (hold == null || !Objects.equals(op.argument(), hold.token())) {
            unheld.add(client + " wrote " + op.argument() + " holding " + hold);
          }
          writesInvoked.add(op.argument());
          if (op.ok()) {
            writesAcked.add(op.argument());
          }
        }
        case "unlock" -> {
          Hold hold = holding.remove(client);
          if (hold != null) {
            // An unlock that failed may still have released the lock: the hold ends unknown.
            holds.add(
                new Hold(
                    client,
                    hold.token(),
                    hold.granted(),
                    hold.invoked(),
                    op.ok() ? op.invoked() : null));
          }
        }
        default -> {}
      }
    }
    holding.values().forEach(holds::add);
    holds.sort(Comparator.comparingLong(Hold::token));
    List<String> twice = new ArrayList<>();
    List<String> overlapping = new ArrayList<>();
    for (int i = 1; i < holds.size(); i++) {
      Hold before = holds.get(i - 1);
      Hold after = holds.get(i);
      if (before.token() == after.token()) {
        twice.add(after.token() + " to " + before.client() + " and " + after.client());
        continue;
      }
      if (before.released() != null && after.granted() < before.released()) {
        overlapping.add(
            after.client()
                + " held "
                + after.token()
                + " before "
                + before.client()
                + " released "
                + before.token());
      }
      if (after.granted() < before.invoked()) {
        backwards.add(
            after.client()
                + " was granted "
                + after.token()
                + " before "
                + before.client()
                + " asked for the lock and got "
                + before.token());
      }
    }
    report(violations, "fencing tokens granted twice", twice);
    report(violations, "fencing tokens going backwards", backwards);
    report(violations, "lock holders overlapping", overlapping);
    report(violations, "writes to the protected object not under the writer's hold", unheld);

    List<String> outOfOrder = new ArrayList<>();
    for (int i = 1; i < written.size(); i++) {
      if (written.get(i) <= written.get(i - 1)) {
        outOfOrder.add(written.get(i) + " after " + written.get(i - 1));
      }
    }
    report(violations, "protected object written out of token order", outOfOrder);
    Set<Long> content = new HashSet<>(written);
    report(
        violations,
        "acknowledged writes missing from the protected object",
        writesAcked.stream().filter(t -> !content.contains(t)).map(String::valueOf).toList());
    report(
        violations,
        "tokens in the protected object that no client wrote",
        written.stream().filter(t -> !writesInvoked.contains(t)).map(String::valueOf).toList());
    return violations;
  }

  /**
   * Pairs each client's invocations with their completions. A client is one thread, so its events
   * alternate: invoke, completion, invoke, ... numbered 0, 1, 2, ...; anything else is reported.
   */
  static List<Op> operations(List<Event> events, List<String> violations) {
    Map<String, List<Event>> byClient = new LinkedHashMap<>();
    for (Event event : events) {
      byClient.computeIfAbsent(event.client(), k -> new ArrayList<>()).add(event);
    }
    List<Op> ops = new ArrayList<>();
    byClient.forEach(
        (client, own) -> {
          Event pending = null;
          for (int i = 0; i < own.size(); i++) {
            Event event = own.get(i);
            if (event.seq() != i) {
              violations.add(client + ": event " + i + " has sequence number " + event.seq());
              return;
            }
            if (event.type() == Type.INVOKE) {
              if (pending != null) {
                violations.add(client + ": " + event + " before " + pending + " completed");
                return;
              }
              pending = event;
            } else {
              if (pending == null || !pending.op().equals(event.op())) {
                violations.add(client + ": " + event + " completes no invocation");
                return;
              }
              ops.add(
                  new Op(
                      client,
                      event.op(),
                      pending.value(),
                      event.type(),
                      event.value(),
                      pending.nanos(),
                      event.nanos()));
              pending = null;
            }
          }
          if (pending != null) {
            ops.add(
                new Op(
                    client,
                    pending.op(),
                    pending.value(),
                    Type.UNKNOWN,
                    null,
                    pending.nanos(),
                    Long.MAX_VALUE));
          }
        });
    return ops;
  }

  private static void report(List<String> violations, String what, List<String> found) {
    if (!found.isEmpty()) {
      violations.add(
          found.size()
              + " "
              + what
              + " (first "
              + SHOWN
              + "): "
              + found.subList(0, Math.min(SHOWN, found.size())));
    }
  }
}
