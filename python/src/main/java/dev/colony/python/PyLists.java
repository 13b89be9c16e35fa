package dev.colony.python;

import dev.colony.client.ColonyList;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ListProxy}'s methods on a {@link ColonyList}. Index operations, {@code append}, {@code
 * extend}, {@code insert} and {@code pop} are one coordinator operation each. What Python does to
 * many items at once ({@code sort}, {@code reverse}, {@code remove}, slice assignment and deletion,
 * {@code *=}) reads the list and writes back only the positions that change, one operation each:
 * readers never see the list emptied, but a concurrent writer can interleave, so guard such updates
 * with a Lock when others write too.
 */
final class PyLists {
  private PyLists() {}

  static final List<String> EXPOSED =
      List.of(
          "__add__",
          "__contains__",
          "__delitem__",
          "__getitem__",
          "__imul__",
          "__len__",
          "__mul__",
          "__reversed__",
          "__rmul__",
          "__setitem__",
          "append",
          "count",
          "extend",
          "index",
          "insert",
          "pop",
          "remove",
          "reverse",
          "sort");

  static Object call(ColonyList<Object> list, String method, PyObjects.Args a) {
    try {
      return dispatch(list, method, a);
    } catch (IndexOutOfBoundsException e) {
      throw PyRaise.builtin("IndexError", "list index out of range");
    }
  }

  private static Object dispatch(ColonyList<Object> list, String method, PyObjects.Args a) {
    switch (method) {
      case "__getitem__" -> {
        Object key = a.get(0, "index");
        if (key instanceof PyRefs.Slice slice) {
          List<Object> items = snapshot(list);
          List<Object> out = new ArrayList<>();
          for (int i : slice.select(items.size())) {
            out.add(PyValues.toPython(items.get(i)));
          }
          return out;
        }
        return PyValues.toPython(list.get(index(list, key, false)));
      }
      case "__setitem__" -> {
        Object key = a.get(0, "index");
        if (key instanceof PyRefs.Slice slice) {
          assignSlice(list, slice, a.get(1, "value"));
        } else {
          list.set(index(list, key, false), PyValues.toColony(a.get(1, "value")));
        }
        return null;
      }
      case "__delitem__" -> {
        Object key = a.get(0, "index");
        if (key instanceof PyRefs.Slice slice) {
          int[] doomed = slice.select(list.size());
          java.util.Arrays.sort(doomed);
          for (int k = doomed.length - 1; k >= 0; k--) {
            list.remove(doomed[k]);
          }
        } else {
          list.remove(index(list, key, false));
        }
        return null;
      }
      case "__len__" -> {
        return (long) list.size();
      }
      case "__contains__" -> {
        return list.contains(PyValues.toColony(a.get(0, "value")));
      }
      case "append" -> {
        list.add(PyValues.toColony(a.get(0, "object")));
        return null;
      }
      case "extend" -> {
        list.addAll(PyObjects.colonyItems(a.get(0, "iterable")));
        return null;
      }
      case "insert" -> {
        list.add(index(list, a.get(0, "index"), true), PyValues.toColony(a.get(1, "object")));
        return null;
      }
      case "pop" -> {
        if (list.isEmpty()) {
          throw PyRaise.builtin("IndexError", "pop from empty list");
        }
        Object raw = a.get(0, "index", -1L);
        if (!(raw instanceof Integer || raw instanceof Long)) {
          throw PyRaise.typeError(
              "'" + PyValues.pyType(raw) + "' object cannot be interpreted as an integer");
        }
        long i = ((Number) raw).longValue();
        int size = list.size();
        if (i < -size || i >= size) {
          throw PyRaise.builtin("IndexError", "pop index out of range");
        }
        return PyValues.toPython(list.remove((int) (i < 0 ? i + size : i)));
      }
      case "remove" -> {
        Object v = a.get(0, "value");
        int i = list.indexOf(PyValues.toColony(v));
        if (i < 0) {
          throw PyRaise.valueError("list.remove(x): x not in list");
        }
        list.remove(i);
        return null;
      }
      case "count" -> {
        Object v = PyValues.toColony(a.get(0, "value"));
        return snapshot(list).stream().filter(x -> Objects.equals(x, v)).count();
      }
      case "index" -> {
        Object v = a.get(0, "value");
        Object want = PyValues.toColony(v);
        List<Object> items = snapshot(list);
        long[] range =
            new PyRefs.Slice(a.get(1, "start", null), a.get(2, "stop", null), null)
                .indices(items.size());
        for (int i = (int) range[0]; i < range[1]; i++) {
          if (Objects.equals(items.get(i), want)) {
            return (long) i;
          }
        }
        throw PyRaise.valueError(pyRepr(v) + " is not in list");
      }
      case "reverse" -> {
        List<Object> items = snapshot(list);
        List<Object> reversed = new ArrayList<>(items);
        Collections.reverse(reversed);
        writeBack(list, items, reversed);
        return null;
      }
      case "sort" -> {
        if (a.size() > 0) {
          throw PyRaise.typeError("sort() takes no positional arguments");
        }
        if (a.kwds.get("key") != null) {
          throw PyRaise.typeError(
              "sort(key=...) is refused: a key function is a callable, and callables never cross"
                  + " to Colony. Sort in Python and write back: l[:] = sorted(l[:], key=...)");
        }
        for (String keyword : a.kwds.keySet()) {
          if (!keyword.equals("key") && !keyword.equals("reverse")) {
            throw PyRaise.typeError("'" + keyword + "' is an invalid keyword argument for sort()");
          }
        }
        boolean reverse = a.bool(0, "reverse", false); // no positional arguments: the keyword
        List<Object> items = snapshot(list);
        List<Object[]> pairs = new ArrayList<>(items.size());
        for (Object item : items) {
          pairs.add(new Object[] {item, PyValues.toPython(item)});
        }
        // Python's reverse=True keeps equal items in their order: reverse, sort stably, reverse.
        if (reverse) {
          Collections.reverse(pairs);
        }
        pairs.sort(Comparator.comparing(p -> p[1], PyLists::compare));
        if (reverse) {
          Collections.reverse(pairs);
        }
        List<Object> sorted = new ArrayList<>(pairs.size());
        for (Object[] p : pairs) {
          sorted.add(p[0]);
        }
        writeBack(list, items, sorted);
        return null;
      }
      case "__reversed__" -> {
        List<Object> items = PyValues.toPythonList(snapshot(list));
        Collections.reverse(items);
        return items;
      }
      case "__imul__" -> {
        long times = a.longOr(0, "value", 1);
        List<Object> once = snapshot(list);
        if (times <= 0) {
          list.clear();
          return null;
        }
        List<Object> more = new ArrayList<>();
        for (long i = 1; i < times; i++) {
          more.addAll(once);
        }
        list.addAll(more);
        return null;
      }
      case "__add__" -> {
        List<Object> sum = new ArrayList<>(PyValues.toPythonList(list));
        for (Object item : PyObjects.colonyItems(a.get(0, "value"))) {
          sum.add(PyValues.toPython(item));
        }
        return sum;
      }
      default -> {
        long times = a.longOr(0, "value", 1);
        List<Object> once = PyValues.toPythonList(list);
        List<Object> product = new ArrayList<>();
        for (long i = 0; i < times; i++) {
          product.addAll(once);
        }
        return product;
      }
    }
  }

  private static List<Object> snapshot(ColonyList<Object> list) {
    return new ArrayList<>(list);
  }

  /** Python's slice assignment: a plain slice may change the length, an extended one may not. */
  private static void assignSlice(ColonyList<Object> list, PyRefs.Slice slice, Object value) {
    if (!(value instanceof Object[] || value instanceof List || value instanceof String)) {
      throw PyRaise.typeError("can only assign an iterable");
    }
    List<Object> items = PyObjects.colonyItems(value);
    List<Object> before = snapshot(list);
    long[] range = slice.indices(before.size());
    if (range[2] == 1) {
      int from = (int) range[0];
      int to = (int) Math.max(range[0], range[1]);
      List<Object> after = new ArrayList<>(before.subList(0, from));
      after.addAll(items);
      after.addAll(before.subList(to, before.size()));
      writeBack(list, before, after);
      return;
    }
    int[] at = slice.select(before.size());
    if (at.length != items.size()) {
      throw PyRaise.valueError(
          "attempt to assign sequence of size "
              + items.size()
              + " to extended slice of size "
              + at.length);
    }
    List<Object> after = new ArrayList<>(before);
    for (int k = 0; k < at.length; k++) {
      after.set(at[k], items.get(k));
    }
    writeBack(list, before, after);
  }

  /** Turns {@code before} into {@code after} by setting the positions that differ, then sizing. */
  private static void writeBack(ColonyList<Object> list, List<Object> before, List<Object> after) {
    int common = Math.min(before.size(), after.size());
    for (int i = 0; i < common; i++) {
      if (!sameValue(before.get(i), after.get(i))) {
        list.set(i, after.get(i));
      }
    }
    for (int i = before.size() - 1; i >= after.size(); i--) {
      list.remove(i);
    }
    if (after.size() > before.size()) {
      list.addAll(after.subList(before.size(), after.size()));
    }
  }

  private static boolean sameValue(Object x, Object y) {
    return x instanceof byte[] bx && y instanceof byte[] by
        ? java.util.Arrays.equals(bx, by)
        : Objects.equals(x, y);
  }

  private static int index(ColonyList<Object> list, Object raw, boolean forInsert) {
    if (!(raw instanceof Integer || raw instanceof Long)) {
      throw PyRaise.typeError(
          "list indices must be integers or slices, not " + PyValues.pyType(raw));
    }
    long i = ((Number) raw).longValue();
    int size = list.size();
    if (i < 0) {
      i += size;
    }
    if (forInsert) {
      return (int) Math.max(0, Math.min(size, i));
    }
    if (i < 0 || i >= size) {
      throw PyRaise.builtin("IndexError", "list index out of range");
    }
    return (int) i;
  }

  /** Python's ordering for what lists hold: numbers, str, bytes, and lists of them. */
  static int compare(Object x, Object y) {
    if (isNumber(x) && isNumber(y)) {
      return compareNumbers(x, y);
    }
    if (x instanceof String sx && y instanceof String sy) {
      return java.util.Arrays.compare(sx.codePoints().toArray(), sy.codePoints().toArray());
    }
    if (x instanceof byte[] bx && y instanceof byte[] by) {
      return java.util.Arrays.compareUnsigned(bx, by);
    }
    if (x instanceof List<?> lx && y instanceof List<?> ly) {
      for (int i = 0; i < Math.min(lx.size(), ly.size()); i++) {
        if (!Objects.equals(lx.get(i), ly.get(i))) {
          return compare(lx.get(i), ly.get(i));
        }
      }
      return Integer.compare(lx.size(), ly.size());
    }
    throw PyRaise.typeError(
        "'<' not supported between instances of '" + typeName(x) + "' and '" + typeName(y) + "'");
  }

  private static String typeName(Object v) {
    return v instanceof Map ? "dict" : PyValues.pyType(v);
  }

  private static boolean isNumber(Object v) {
    return v instanceof Boolean
        || v instanceof Long
        || v instanceof Integer
        || v instanceof BigInteger
        || v instanceof Double;
  }

  private static int compareNumbers(Object x, Object y) {
    if (x instanceof Double || y instanceof Double) {
      return Double.compare(asDouble(x), asDouble(y));
    }
    return asBig(x).compareTo(asBig(y));
  }

  private static double asDouble(Object v) {
    return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
  }

  private static BigInteger asBig(Object v) {
    if (v instanceof Boolean b) {
      return b ? BigInteger.ONE : BigInteger.ZERO;
    }
    return v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue());
  }

  private static String pyRepr(Object v) {
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }
}
