package dev.colony.python;

import dev.colony.client.ColonyBarrier;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyCondition;
import dev.colony.client.ColonyEvent;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyList;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyMap;
import dev.colony.client.ColonyQueue;
import dev.colony.client.ColonySemaphore;
import dev.colony.client.ColonyValue;
import dev.colony.client.QueueOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The manager's type ids, what {@code create} makes for each, and the methods a proxy may call. An
 * object's ident is {@code kind/name}, so any connection can serve it without shared tables.
 */
final class PyObjects {
  private PyObjects() {}

  enum Kind {
    QUEUE(
        "queue",
        List.of(
            "empty",
            "full",
            "get",
            "get_nowait",
            "join",
            "put",
            "put_nowait",
            "qsize",
            "task_done")),
    DICT(
        "dict",
        List.of(
            "__contains__",
            "__delitem__",
            "__getitem__",
            "__len__",
            "__setitem__",
            "clear",
            "copy",
            "get",
            "items",
            "keys",
            "pop",
            "popitem",
            "setdefault",
            "update",
            "values")),
    LOCK("lock", List.of("acquire", "release")),
    RLOCK("rlock", List.of("acquire", "release")),
    VALUE_LONG("value.int", List.of("get", "set")),
    VALUE_DOUBLE("value.float", List.of("get", "set")),
    VALUE_STR("value.str", List.of("get", "set")),
    VALUE_BYTES("value.bytes", List.of("get", "set")),
    SEMAPHORE("semaphore", List.of("acquire", "release")),
    BOUNDED_SEMAPHORE("bsemaphore", List.of("acquire", "release")),
    CONDITION("condition", List.of("acquire", "release", "wait", "notify", "notify_all")),
    /** A Condition over a given Lock or RLock: {@code condition.on/<n>/<lock ident><name>}. */
    CONDITION_ON("condition.on", CONDITION.exposed),
    EVENT("event", List.of("is_set", "set", "clear", "wait")),
    BARRIER("barrier", List.of("__getattribute__", "wait", "abort", "reset")),
    LIST("list", PyLists.EXPOSED),
    NAMESPACE("namespace", List.of("__getattribute__", "__setattr__", "__delattr__"));

    final String prefix;
    final List<String> exposed;

    Kind(String prefix, List<String> exposed) {
      this.prefix = prefix;
      this.exposed = exposed;
    }

    static Kind ofPrefix(String prefix) {
      for (Kind k : values()) {
        if (k.prefix.equals(prefix)) {
          return k;
        }
      }
      return null;
    }
  }

  /** What a type id asks for: the kind, and whether the name is the first argument. */
  private record TypeId(Kind kind, boolean namedByArgument) {}

  private static final Map<String, TypeId> TYPE_IDS = new LinkedHashMap<>();

  static {
    TYPE_IDS.put("get_queue", new TypeId(Kind.QUEUE, true));
    TYPE_IDS.put("get_joinable_queue", new TypeId(Kind.QUEUE, true));
    TYPE_IDS.put("get_dict", new TypeId(Kind.DICT, true));
    TYPE_IDS.put("get_lock", new TypeId(Kind.LOCK, true));
    TYPE_IDS.put("get_rlock", new TypeId(Kind.RLOCK, true));
    TYPE_IDS.put("get_value", new TypeId(Kind.VALUE_LONG, true));
    TYPE_IDS.put("get_semaphore", new TypeId(Kind.SEMAPHORE, true));
    TYPE_IDS.put("get_bounded_semaphore", new TypeId(Kind.BOUNDED_SEMAPHORE, true));
    TYPE_IDS.put("get_condition", new TypeId(Kind.CONDITION, true));
    TYPE_IDS.put("get_event", new TypeId(Kind.EVENT, true));
    TYPE_IDS.put("get_barrier", new TypeId(Kind.BARRIER, true));
    TYPE_IDS.put("get_list", new TypeId(Kind.LIST, true));
    TYPE_IDS.put("get_namespace", new TypeId(Kind.NAMESPACE, true));
    TYPE_IDS.put("Queue", new TypeId(Kind.QUEUE, false));
    TYPE_IDS.put("JoinableQueue", new TypeId(Kind.QUEUE, false));
    TYPE_IDS.put("dict", new TypeId(Kind.DICT, false));
    TYPE_IDS.put("Lock", new TypeId(Kind.LOCK, false));
    TYPE_IDS.put("RLock", new TypeId(Kind.RLOCK, false));
    TYPE_IDS.put("Value", new TypeId(Kind.VALUE_LONG, false));
    TYPE_IDS.put("Semaphore", new TypeId(Kind.SEMAPHORE, false));
    TYPE_IDS.put("BoundedSemaphore", new TypeId(Kind.BOUNDED_SEMAPHORE, false));
    TYPE_IDS.put("Condition", new TypeId(Kind.CONDITION, false));
    TYPE_IDS.put("Event", new TypeId(Kind.EVENT, false));
    TYPE_IDS.put("Barrier", new TypeId(Kind.BARRIER, false));
    TYPE_IDS.put("list", new TypeId(Kind.LIST, false));
    TYPE_IDS.put("Namespace", new TypeId(Kind.NAMESPACE, false));
  }

  /**
   * A created object: its ident, whether reference counting should delete it, and the ident of an
   * object it keeps alive while it lives (the lock under a Condition), or null.
   */
  record Created(String ident, List<String> exposed, boolean anonymous, String keepsAlive) {
    Created(String ident, List<String> exposed, boolean anonymous) {
      this(ident, exposed, anonymous, null);
    }
  }

  /** SyncManager type ids Colony does not serve, and what it offers instead. */
  private static final Map<String, String> NOT_SERVED =
      Map.of(
          "Pool",
          "Colony serves no Pool to Python: a pool runs callables, and callables never cross to"
              + " Colony. Run tasks on Colony's workers with the Java Pool API"
              + " (colony.pool().map(Task.class, args)) or from the shell with `colony submit`;"
              + " share their inputs and results with Python through a Queue or dict",
          "Array",
          "Colony serves no Array: use s.list(...) (a Colony list of plain values) or one"
              + " s.Value(...) per number",
          "Iterator",
          "Colony serves no Iterator proxy: read a list whole with l[:] or a dict with d.items()",
          "AsyncResult",
          "Colony serves no AsyncResult: it has no Pool for Python (see the Java Pool API)");

  /** Python's {@code Server.create}: get-or-create the object a type id and arguments name. */
  static Created create(
      ColonyClient admin, String typeid, Object[] args, Map<String, Object> kwds, String anonName) {
    TypeId type = TYPE_IDS.get(typeid);
    if (NOT_SERVED.containsKey(typeid)) {
      throw PyRaise.builtin("NotImplementedError", NOT_SERVED.get(typeid));
    }
    if (type == null) {
      throw PyRaise.valueError(
          "Colony serves no type id "
              + typeid
              + "; register one of: "
              + String.join(", ", TYPE_IDS.keySet())
              + " (objects of Colony's own kinds only: a registered callable never runs here)");
    }
    Args a = new Args(typeid, args, kwds);
    String name = type.namedByArgument ? a.string(0, "name") : a.optionalString("name");
    boolean anonymous = name == null;
    if (anonymous) {
      name = anonName;
    }
    Kind kind = type.kind;
    switch (kind) {
      case QUEUE -> {
        int positional = type.namedByArgument ? 1 : 0;
        long maxsize = a.longOr(positional, "maxsize", 0);
        if (maxsize > 0) {
          admin.queue(name, Object.class, QueueOptions.fifo().withMaxSize((int) maxsize));
        } else {
          admin.queue(name, Object.class);
        }
      }
      case DICT -> {
        ColonyMap<Object, Object> map = admin.map(name, Object.class, Object.class);
        if (!type.namedByArgument && a.size() > 0) {
          update(map, a.get(0), Map.of());
        } else if (!type.namedByArgument && !kwds.isEmpty()) {
          update(map, null, withoutName(kwds));
        }
      }
      case LOCK -> admin.lock(name);
      case RLOCK -> admin.rlock(name);
      case SEMAPHORE, BOUNDED_SEMAPHORE -> {
        long value = a.longOr(type.namedByArgument ? 1 : 0, "value", 1);
        if (value < 0 || value > Integer.MAX_VALUE) {
          throw PyRaise.valueError("semaphore initial value must be >= 0");
        }
        if (kind == Kind.SEMAPHORE) {
          admin.semaphore(name, (int) value);
        } else {
          admin.boundedSemaphore(name, (int) value);
        }
      }
      case CONDITION -> {
        Object lock = a.get(type.namedByArgument ? 1 : 0, "lock", null);
        if (lock != null) {
          if (!(lock instanceof PyRefs.Proxy proxy)) {
            throw PyRaise.typeError(
                "Condition(lock): the lock must be a Lock or RLock of this manager, not "
                    + PyValues.pyType(lock));
          }
          Kind lockKind = kindOf(proxy.ident());
          if (lockKind != Kind.LOCK && lockKind != Kind.RLOCK) {
            throw PyRaise.typeError(
                "Condition(lock): the lock must be a Lock or RLock of this manager, not a "
                    + proxy.typeid());
          }
          String ident =
              Kind.CONDITION_ON.prefix + "/" + proxy.ident().length() + "/" + proxy.ident() + name;
          return new Created(
              ident, Kind.CONDITION_ON.exposed, anonymous, anonymous ? proxy.ident() : null);
        }
        admin.rlock(name).newCondition();
      }
      case EVENT -> admin.event(name);
      case BARRIER -> {
        int positional = type.namedByArgument ? 1 : 0;
        long parties = a.longOr(positional, "parties", -1);
        if (parties <= 0 || parties > Integer.MAX_VALUE) {
          throw PyRaise.valueError("parties must be > 0");
        }
        if (a.get(positional + 1, "action", null) != null) {
          throw PyRaise.typeError(
              "Barrier(action=...) is refused: an action is a callable, and callables never cross"
                  + " to Colony. Run it in the process whose wait() returns 0");
        }
        Object rawTimeout = a.get(positional + 2, "timeout", null);
        String timeout = "";
        if (rawTimeout != null) {
          double seconds = a.number(rawTimeout, "timeout");
          if (seconds < 0 || Double.isNaN(seconds)) {
            throw PyRaise.valueError("timeout value must be a non-negative number");
          }
          timeout = "@" + seconds;
        }
        admin.barrier(name, (int) parties);
        // The proxy needs the party count to open the barrier again, and the default timeout of
        // wait(): they ride in the ident.
        return new Created(
            kind.prefix + "/" + parties + timeout + "/" + name, kind.exposed, anonymous);
      }
      case LIST -> {
        ColonyList<Object> list = admin.list(name, Object.class);
        if (!type.namedByArgument && a.size() > 0) {
          list.addAll(colonyItems(a.get(0)));
        }
      }
      case NAMESPACE -> {
        ColonyMap<Object, Object> map = admin.map(name, Object.class, Object.class);
        if (!type.namedByArgument) {
          update(map, null, withoutName(kwds));
        }
      }
      default -> kind = createValue(admin, name, type.namedByArgument, a);
    }
    return new Created(kind.prefix + "/" + name, kind.exposed, anonymous);
  }

  private static Map<String, Object> withoutName(Map<String, Object> kwds) {
    Map<String, Object> rest = new LinkedHashMap<>(kwds);
    rest.remove("name");
    return rest;
  }

  private static Kind createValue(ColonyClient admin, String name, boolean named, Args a) {
    if (named) {
      // An existing Value keeps its kind; a new one is a long 0, as `colony value` makes it.
      for (Kind kind : List.of(Kind.VALUE_LONG, Kind.VALUE_DOUBLE, Kind.VALUE_STR)) {
        try {
          value(admin, kind, name).get();
          return kind;
        } catch (ColonyException e) {
          // Another kind: try the next.
        }
      }
      value(admin, Kind.VALUE_BYTES, name).get();
      return Kind.VALUE_BYTES;
    }
    // SyncManager.Value(typecode, value): the initial value decides the kind.
    Object initial = a.size() > 1 ? a.get(1) : a.kwds.get("value");
    Kind kind =
        initial instanceof Double
            ? Kind.VALUE_DOUBLE
            : initial instanceof String
                ? Kind.VALUE_STR
                : initial instanceof byte[] ? Kind.VALUE_BYTES : Kind.VALUE_LONG;
    ColonyValue<Object> value = value(admin, kind, name);
    if (initial != null) {
      value.set(scalar(kind, initial));
    }
    return kind;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ColonyValue<Object> value(ColonyClient client, Kind kind, String name) {
    Class type =
        switch (kind) {
          case VALUE_DOUBLE -> Double.class;
          case VALUE_STR -> String.class;
          case VALUE_BYTES -> byte[].class;
          default -> Long.class;
        };
    return client.value(name, type);
  }

  private static Object scalar(Kind kind, Object v) {
    switch (kind) {
      case VALUE_LONG -> {
        if (v instanceof Integer || v instanceof Long) {
          return ((Number) v).longValue();
        }
        if (v instanceof Boolean b) {
          return b ? 1L : 0L;
        }
      }
      case VALUE_DOUBLE -> {
        if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
          return n.doubleValue();
        }
      }
      case VALUE_STR -> {
        if (v instanceof String) {
          return v;
        }
      }
      default -> {
        if (v instanceof byte[]) {
          return v;
        }
      }
    }
    throw PyRaise.typeError(
        "this Value holds "
            + kind.prefix.substring("value.".length())
            + " (its kind is fixed when it is created), not "
            + PyValues.pyType(v));
  }

  /** Serves one method call on the object {@code ident}, for one connection's session. */
  private static Kind kindOf(String ident) {
    int slash = ident.indexOf('/');
    return slash < 0 ? null : Kind.ofPrefix(ident.substring(0, slash));
  }

  /** The lock ident a {@code condition.on} ident names, or null for any other ident. */
  static String conditionLock(String ident) {
    String[] parts = conditionOn(ident);
    return parts == null ? null : parts[0];
  }

  /** A {@code condition.on} ident's lock ident and condition name; null if it is not one. */
  private static String[] conditionOn(String ident) {
    String prefix = Kind.CONDITION_ON.prefix + "/";
    if (!ident.startsWith(prefix)) {
      return null;
    }
    int slash = ident.indexOf('/', prefix.length());
    try {
      int length = Integer.parseInt(ident.substring(prefix.length(), slash));
      int from = slash + 1;
      String lock = ident.substring(from, from + length);
      Kind kind = kindOf(lock);
      if (kind == Kind.LOCK || kind == Kind.RLOCK) {
        return new String[] {lock, ident.substring(from + length)};
      }
    } catch (RuntimeException e) {
      // Not one of ours: a KeyError below.
    }
    throw PyRaise.builtin("KeyError", ident);
  }

  static Object call(ColonyClient client, String ident, String method, Args a)
      throws InterruptedException {
    int slash = ident.indexOf('/');
    Kind kind = kindOf(ident);
    if (kind == null) {
      throw PyRaise.builtin("KeyError", ident);
    }
    String name = ident.substring(slash + 1);
    if (method.equals("#GETVALUE")) {
      method = kind == Kind.DICT ? "copy" : kind == Kind.LIST ? "__getitem__" : "get";
      if (kind == Kind.LIST) {
        return PyValues.toPythonList(client.list(name, Object.class));
      }
    }
    if (!kind.exposed.contains(method)) {
      throw PyRaise.builtin(
          "AttributeError",
          "method '" + method + "' of " + kind.prefix + " is not in exposed=" + kind.exposed);
    }
    return switch (kind) {
      case QUEUE -> queue(client.queue(name, Object.class), method, a);
      case DICT -> dict(client.map(name, Object.class, Object.class), method, a);
      case LOCK -> lock(client.lock(name), method, a, false);
      case RLOCK -> lock(client.rlock(name), method, a, true);
      case SEMAPHORE, BOUNDED_SEMAPHORE ->
          semaphore(
              kind == Kind.SEMAPHORE ? client.semaphore(name, 0) : client.boundedSemaphore(name, 0),
              method,
              a,
              kind == Kind.BOUNDED_SEMAPHORE);
      case CONDITION -> condition(client.rlock(name), name + ".condition", method, a, true);
      case CONDITION_ON -> {
        String[] on = conditionOn(ident);
        boolean reentrant = on[0].startsWith(Kind.RLOCK.prefix + "/");
        String lockName = on[0].substring(on[0].indexOf('/') + 1);
        ColonyLock lock = reentrant ? client.rlock(lockName) : client.lock(lockName);
        yield condition(lock, on[1], method, a, reentrant);
      }
      case EVENT -> event(client.event(name), method, a);
      case BARRIER -> barrier(client, name, method, a);
      case LIST -> PyLists.call(client.list(name, Object.class), method, a);
      case NAMESPACE -> namespace(client.map(name, Object.class, Object.class), method, a);
      default -> value(value(client, kind, name), kind, method, a);
    };
  }

  private static Object queue(ColonyQueue<Object> q, String method, Args a)
      throws InterruptedException {
    switch (method) {
      case "put", "put_nowait" -> {
        Object item = PyValues.toColony(a.get(0, "item"));
        boolean block = !method.equals("put_nowait") && a.bool(1, "block", true);
        Double timeout = block ? a.timeout(2) : null;
        boolean done;
        if (!block) {
          done = q.offer(item);
        } else if (timeout == null) {
          q.put(item);
          done = true;
        } else {
          done = q.offer(item, nanos(timeout), TimeUnit.NANOSECONDS);
        }
        if (!done) {
          throw new PyRaise("queue", "Full");
        }
        return null;
      }
      case "get", "get_nowait" -> {
        boolean block = !method.equals("get_nowait") && a.bool(0, "block", true);
        Double timeout = block ? a.timeout(1) : null;
        Object item;
        if (!block) {
          item = q.poll();
        } else if (timeout == null) {
          item = q.take();
        } else {
          item = q.poll(nanos(timeout), TimeUnit.NANOSECONDS);
        }
        if (item == null) {
          throw new PyRaise("queue", "Empty");
        }
        return PyValues.toPython(item);
      }
      case "qsize" -> {
        return (long) q.size();
      }
      case "empty" -> {
        return q.isEmpty();
      }
      case "full" -> {
        return q.remainingCapacity() == 0;
      }
      case "task_done" -> {
        try {
          q.taskDone();
        } catch (ColonyException | IllegalStateException e) {
          throw PyRaise.valueError("task_done() called too many times");
        }
        return null;
      }
      default -> {
        q.join();
        return null;
      }
    }
  }

  private static Object dict(ColonyMap<Object, Object> map, String method, Args a) {
    switch (method) {
      case "__getitem__" -> {
        Object key = a.get(0, "key");
        Object v = map.get(PyValues.toColony(key));
        if (v == null) {
          throw PyRaise.builtin("KeyError", key);
        }
        return PyValues.toPython(v);
      }
      case "get" -> {
        Object v = map.get(PyValues.toColony(a.get(0, "key")));
        return v == null ? (a.size() > 1 ? a.get(1) : null) : PyValues.toPython(v);
      }
      case "__setitem__" -> {
        map.put(PyValues.toColony(a.get(0, "key")), PyValues.toColony(a.get(1, "value")));
        return null;
      }
      case "__delitem__" -> {
        Object key = a.get(0, "key");
        if (map.remove(PyValues.toColony(key)) == null) {
          throw PyRaise.builtin("KeyError", key);
        }
        return null;
      }
      case "__contains__" -> {
        return map.containsKey(PyValues.toColony(a.get(0, "key")));
      }
      case "__len__" -> {
        return (long) map.size();
      }
      case "clear" -> {
        map.clear();
        return null;
      }
      case "copy" -> {
        Map<Object, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : map.entrySet()) {
          copy.put(PyValues.toPython(e.getKey()), PyValues.toPython(e.getValue()));
        }
        return copy;
      }
      case "keys" -> {
        return PyValues.toPythonList(map.keySet());
      }
      case "values" -> {
        return PyValues.toPythonList(map.values());
      }
      case "items" -> {
        List<Object> items = new ArrayList<>();
        for (Map.Entry<Object, Object> e : map.entrySet()) {
          items.add(new Object[] {PyValues.toPython(e.getKey()), PyValues.toPython(e.getValue())});
        }
        return items;
      }
      case "pop" -> {
        Object key = a.get(0, "key");
        Object v = map.remove(PyValues.toColony(key));
        if (v == null) {
          if (a.size() > 1) {
            return a.get(1);
          }
          throw PyRaise.builtin("KeyError", key);
        }
        return PyValues.toPython(v);
      }
      case "popitem" -> {
        while (true) {
          Map.Entry<Object, Object> last = null;
          for (Map.Entry<Object, Object> e : map.entrySet()) {
            last = e;
          }
          if (last == null) {
            throw PyRaise.builtin("KeyError", "popitem(): dictionary is empty");
          }
          if (map.remove(last.getKey(), last.getValue())) {
            return new Object[] {
              PyValues.toPython(last.getKey()), PyValues.toPython(last.getValue())
            };
          }
        }
      }
      case "setdefault" -> {
        Object fallback = a.size() > 1 ? a.get(1) : null;
        Object previous =
            map.putIfAbsent(PyValues.toColony(a.get(0, "key")), PyValues.toColony(fallback));
        return previous == null ? fallback : PyValues.toPython(previous);
      }
      default -> {
        update(map, a.size() > 0 ? a.get(0) : null, a.kwds);
        return null;
      }
    }
  }

  private static void update(
      ColonyMap<Object, Object> map, Object other, Map<String, Object> kwds) {
    Map<Object, Object> entries = new LinkedHashMap<>();
    if (other instanceof Map<?, ?> m) {
      m.forEach((k, v) -> entries.put(PyValues.toColony(k), PyValues.toColony(v)));
    } else if (other instanceof List<?> || other instanceof Object[]) {
      List<?> pairs = other instanceof Object[] t ? List.of(t) : (List<?>) other;
      for (Object pair : pairs) {
        List<?> kv = pair instanceof Object[] t ? List.of(t) : pair instanceof List<?> l ? l : null;
        if (kv == null || kv.size() != 2) {
          throw PyRaise.valueError("dictionary update sequence element has the wrong length");
        }
        entries.put(PyValues.toColony(kv.get(0)), PyValues.toColony(kv.get(1)));
      }
    } else if (other != null) {
      throw PyRaise.typeError(PyValues.pyType(other) + " object is not iterable");
    }
    kwds.forEach((k, v) -> entries.put(k, PyValues.toColony(v)));
    map.putAll(entries);
  }

  private static Object lock(ColonyLock lock, String method, Args a, boolean reentrant)
      throws InterruptedException {
    if (method.equals("release")) {
      try {
        lock.unlock();
      } catch (IllegalMonitorStateException e) {
        throw PyRaise.runtimeError(
            reentrant ? "cannot release un-acquired lock" : "release unlocked lock");
      }
      return null;
    }
    boolean blocking = a.bool(0, "blocking", true);
    Object rawTimeout = a.get(1, "timeout", null);
    double timeout = rawTimeout == null ? -1 : a.number(rawTimeout, "timeout");
    if (!blocking) {
      if (timeout != -1) {
        throw PyRaise.valueError("can't specify a timeout for a non-blocking call");
      }
      return lock.tryLock();
    }
    if (timeout == -1) {
      lock.lockInterruptibly();
      return true;
    }
    if (timeout < 0) {
      throw PyRaise.valueError("timeout value must be a non-negative number");
    }
    return lock.tryLock(nanos(timeout), TimeUnit.NANOSECONDS);
  }

  /** The coordinator objects an ident stands for, to delete when an anonymous one is dropped. */
  static List<String> objectNames(String ident) {
    String[] on = conditionOn(ident);
    if (on != null) {
      return List.of(on[1]);
    }
    String name = ident.substring(ident.indexOf('/') + 1);
    if (ident.startsWith(Kind.BARRIER.prefix + "/")) {
      name = name.substring(name.indexOf('/') + 1);
    }
    return ident.startsWith(Kind.CONDITION.prefix + "/")
        ? List.of(name + ".condition", name)
        : List.of(name);
  }

  static List<Object> colonyItems(Object iterable) {
    List<?> items =
        iterable instanceof Object[] t
            ? List.of(t)
            : iterable instanceof List<?> l
                ? l
                : iterable instanceof String s
                    ? s.chars().mapToObj(Character::toString).toList()
                    : null;
    if (items == null) {
      throw PyRaise.typeError(PyValues.pyType(iterable) + " object is not iterable");
    }
    List<Object> out = new ArrayList<>(items.size());
    for (Object item : items) {
      out.add(PyValues.toColony(item));
    }
    return out;
  }

  private static Object semaphore(ColonySemaphore sem, String method, Args a, boolean bounded)
      throws InterruptedException {
    if (method.equals("release")) {
      long n = a.longOr(0, "n", 1);
      if (n < 1) {
        throw PyRaise.valueError("n must be one or more");
      }
      try {
        sem.release((int) n);
      } catch (ColonyException e) {
        if (bounded && isOverflow(e)) {
          throw PyRaise.valueError("Semaphore released too many times");
        }
        throw e;
      }
      return null;
    }
    boolean blocking = a.bool(0, "blocking", true);
    Object rawTimeout = a.get(1, "timeout", null);
    if (!blocking) {
      if (rawTimeout != null) {
        throw PyRaise.valueError("can't specify timeout for non-blocking acquire");
      }
      return sem.tryAcquire();
    }
    if (rawTimeout == null) {
      sem.acquire();
      return true;
    }
    return sem.tryAcquire(nanos(a.number(rawTimeout, "timeout")), TimeUnit.NANOSECONDS);
  }

  private static boolean isOverflow(ColonyException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("SEMAPHORE_OVERFLOW") || message.contains("exceed its bound");
  }

  private static Object condition(
      ColonyLock lock, String conditionName, String method, Args a, boolean reentrant)
      throws InterruptedException {
    ColonyCondition cond = lock.newCondition(conditionName);
    try {
      switch (method) {
        case "wait" -> {
          Object rawTimeout = a.get(0, "timeout", null);
          if (rawTimeout == null) {
            cond.await();
            return true;
          }
          return cond.await(nanos(a.number(rawTimeout, "timeout")), TimeUnit.NANOSECONDS);
        }
        case "notify" -> {
          long n = a.longOr(0, "n", 1);
          for (long i = 0; i < n; i++) {
            cond.signal();
          }
          return null;
        }
        case "notify_all" -> {
          cond.signalAll();
          return null;
        }
        default -> {
          return lock(lock, method, a, reentrant);
        }
      }
    } catch (IllegalMonitorStateException e) {
      throw PyRaise.runtimeError("cannot " + method + " on un-acquired lock");
    }
  }

  private static Object event(ColonyEvent event, String method, Args a)
      throws InterruptedException {
    switch (method) {
      case "is_set" -> {
        return event.isSet();
      }
      case "set" -> {
        event.set();
        return null;
      }
      case "clear" -> {
        event.clear();
        return null;
      }
      default -> {
        Object rawTimeout = a.get(0, "timeout", null);
        if (rawTimeout == null) {
          event.await();
          return true;
        }
        return event.await(nanos(a.number(rawTimeout, "timeout")), TimeUnit.NANOSECONDS);
      }
    }
  }

  private static PyRaise brokenBarrier() {
    return new PyRaise("threading", "BrokenBarrierError");
  }

  private static Object barrier(ColonyClient client, String name, String method, Args a)
      throws InterruptedException {
    int slash = name.indexOf('/');
    String[] shape = name.substring(0, slash).split("@", 2);
    ColonyBarrier barrier = client.barrier(name.substring(slash + 1), Integer.parseInt(shape[0]));
    Double defaultTimeout = shape.length == 2 ? Double.valueOf(shape[1]) : null;
    switch (method) {
      case "__getattribute__" -> {
        String attribute = a.string(0, "name");
        return switch (attribute) {
          case "parties" -> (long) barrier.getParties();
          case "n_waiting" -> (long) barrier.getNumberWaiting();
          case "broken" -> barrier.isBroken();
          default ->
              throw PyRaise.builtin(
                  "AttributeError", "'Barrier' object has no attribute '" + attribute + "'");
        };
      }
      case "abort" -> {
        barrier.abort();
        return null;
      }
      case "reset" -> {
        barrier.reset();
        return null;
      }
      default -> {
        Object rawTimeout = a.get(0, "timeout", null);
        Double timeout =
            rawTimeout == null ? defaultTimeout : Double.valueOf(a.number(rawTimeout, "timeout"));
        int arrival;
        try {
          arrival =
              timeout == null
                  ? barrier.await()
                  : barrier.await(nanos(timeout), TimeUnit.NANOSECONDS);
        } catch (BrokenBarrierException | TimeoutException e) {
          throw brokenBarrier();
        }
        // Python counts arrivals up from 0; CyclicBarrier counts them down to 0.
        return (long) (barrier.getParties() - 1 - arrival);
      }
    }
  }

  private static Object namespace(ColonyMap<Object, Object> map, String method, Args a) {
    String attribute = a.string(0, "name");
    switch (method) {
      case "__getattribute__" -> {
        Object v = map.get(attribute);
        if (v == null) {
          throw PyRaise.builtin(
              "AttributeError", "'Namespace' object has no attribute '" + attribute + "'");
        }
        return PyValues.toPython(v);
      }
      case "__setattr__" -> {
        map.put(attribute, PyValues.toColony(a.get(1, "value")));
        return null;
      }
      default -> {
        if (map.remove(attribute) == null) {
          throw PyRaise.builtin("AttributeError", attribute);
        }
        return null;
      }
    }
  }

  private static Object value(ColonyValue<Object> value, Kind kind, String method, Args a) {
    if (method.equals("get")) {
      return PyValues.toPython(value.get());
    }
    value.set(scalar(kind, a.get(0, "value")));
    return null;
  }

  private static long nanos(double seconds) {
    return (long) Math.min(Long.MAX_VALUE / 2, Math.max(0, seconds * 1e9));
  }

  /** A call's positional and keyword arguments, read the way Python binds them. */
  static final class Args {
    final String function;
    final Object[] args;
    final Map<String, Object> kwds;

    Args(String function, Object[] args, Map<String, Object> kwds) {
      this.function = function;
      this.args = args;
      this.kwds = kwds;
    }

    int size() {
      return args.length;
    }

    Object get(int i) {
      return args[i];
    }

    Object get(int i, String keyword) {
      if (i < args.length) {
        return args[i];
      }
      if (kwds.containsKey(keyword)) {
        return kwds.get(keyword);
      }
      throw PyRaise.typeError(
          function + "() missing required argument: '" + keyword + "' (pos " + (i + 1) + ")");
    }

    Object get(int i, String keyword, Object fallback) {
      return i < args.length ? args[i] : kwds.getOrDefault(keyword, fallback);
    }

    String string(int i, String keyword) {
      Object v = get(i, keyword);
      if (!(v instanceof String s)) {
        throw PyRaise.typeError(
            function + "() argument '" + keyword + "' must be str, not " + PyValues.pyType(v));
      }
      return s;
    }

    String optionalString(String keyword) {
      Object v = kwds.get(keyword);
      if (v != null && !(v instanceof String)) {
        throw PyRaise.typeError(
            function + "() argument '" + keyword + "' must be str, not " + PyValues.pyType(v));
      }
      return (String) v;
    }

    boolean bool(int i, String keyword, boolean fallback) {
      Object v = get(i, keyword, fallback);
      if (v instanceof Boolean b) {
        return b;
      }
      if (v instanceof Number n) {
        return n.doubleValue() != 0;
      }
      return v != null;
    }

    long longOr(int i, String keyword, long fallback) {
      Object v = get(i, keyword, fallback);
      if (v instanceof Integer || v instanceof Long) {
        return ((Number) v).longValue();
      }
      throw PyRaise.typeError(
          function + "() argument '" + keyword + "' must be int, not " + PyValues.pyType(v));
    }

    double number(Object v, String keyword) {
      if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
        return n.doubleValue();
      }
      throw PyRaise.typeError(
          "'" + keyword + "' must be a number, not " + PyValues.pyType(v).toLowerCase(Locale.ROOT));
    }

    /** queue.Queue's timeout: None blocks; a negative one is an error. */
    Double timeout(int i) {
      Object v = get(i, "timeout", null);
      if (v == null) {
        return null;
      }
      double t = number(v, "timeout");
      if (t < 0) {
        throw PyRaise.valueError("'timeout' must be a non-negative number");
      }
      return t;
    }
  }
}
