package dev.colony.python;

/**
 * The few things a request may carry besides plain data, as inert stand-ins that {@link
 * SafeUnpickler} builds instead of what CPython would: a named global is only its name (nothing is
 * looked up, so a function or class can be refused where it is used, with the connection kept), a
 * {@code slice} is its three bounds, and a proxy of this manager, which Python pickles as {@code
 * RebuildProxy(proxytype, Token(typeid, address, id), serializer, kwds)}, is its type id and ident.
 */
final class PyRefs {
  private PyRefs() {}

  static final String MANAGERS = "multiprocessing.managers";

  /** A global named by a pickle ({@code module.name}), never resolved. */
  record Global(String module, String name) {
    boolean is(String module, String name) {
      return this.module.equals(module) && this.name.equals(name);
    }

    /** A proxy type of the standard library's managers module, which RebuildProxy may name. */
    boolean isProxyType() {
      return module.equals(MANAGERS)
          && (name.equals("AutoProxy") || (name.endsWith("Proxy") && !name.equals("RebuildProxy")));
    }

    @Override
    public String toString() {
      return module + "." + name;
    }
  }

  /** Python's {@code slice(start, stop, step)}; each bound is a Long, a BigInteger or null. */
  record Slice(Object start, Object stop, Object step) {
    /** {@code slice.indices(length)}: start, stop and step clamped to a sequence of that length. */
    long[] indices(long length) {
      long st = step == null ? 1 : clamp(step);
      if (st == 0) {
        throw PyRaise.valueError("slice step cannot be zero");
      }
      long lower = st < 0 ? -1 : 0;
      long upper = st < 0 ? length - 1 : length;
      long from = bound(start, st < 0 ? upper : lower, lower, upper, length);
      long to = bound(stop, st < 0 ? lower : upper, lower, upper, length);
      return new long[] {from, to, st};
    }

    /** The indexes this slice selects in a sequence of that length, in slice order. */
    int[] select(int length) {
      long[] i = indices(length);
      long n =
          i[2] > 0
              ? (i[1] > i[0] ? (i[1] - i[0] - 1) / i[2] + 1 : 0)
              : (i[1] < i[0] ? (i[0] - i[1] - 1) / -i[2] + 1 : 0);
      int[] out = new int[(int) n];
      for (int k = 0; k < n; k++) {
        out[k] = (int) (i[0] + k * i[2]);
      }
      return out;
    }

    private static long bound(Object raw, long fallback, long lower, long upper, long length) {
      if (raw == null) {
        return fallback;
      }
      long v = clamp(raw);
      if (v < 0) {
        v += length;
        return Math.max(v, lower);
      }
      return Math.min(v, upper);
    }

    private static long clamp(Object v) {
      if (v instanceof java.math.BigInteger b) {
        return b.signum() < 0 ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
      }
      return Math.max(Long.MIN_VALUE / 2, Math.min(Long.MAX_VALUE / 2, ((Number) v).longValue()));
    }
  }

  /** A {@code multiprocessing.managers.Token} while it is built (NEWOBJ, then BUILD). */
  static final class Token {
    String typeid;
    String id;
    boolean built;
  }

  /** A proxy of an object of this manager: its type id and its ident. */
  record Proxy(String typeid, String ident) {}
}
