package dev.colony.python;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's unpickler confined to plain data: None, bool, int, float, str, bytes, tuple, list,
 * dict, set, plus the inert stand-ins of {@link PyRefs}. Pyrolite itself never runs Python code,
 * but for a global it does not know it builds a {@code ClassDict} (and for some it knows, a Java
 * object); here a global is only ever its name ({@link PyRefs.Global}, never looked up), and every
 * opcode that would call or instantiate one is refused before it is applied, except the two calls a
 * manager client makes with plain data: {@code slice(start, stop, step)} and {@code
 * RebuildProxy(proxytype, Token, ...)} for a proxy passed as an argument, which build {@link
 * PyRefs.Slice} and {@link PyRefs.Proxy} records. So a {@code __reduce__} payload builds nothing.
 * Length prefixes are checked against the bytes actually left, so a forged length never allocates,
 * and the number of opcodes is bounded, so a small frame cannot build a huge graph.
 */
final class SafeUnpickler extends Unpickler {
  /** Thrown for a pickle that is not plain data or is malformed; the connection is then closed. */
  static final class RefusedPickleException extends IOException {
    RefusedPickleException(String message) {
      super(message);
    }
  }

  private final int maxOpcodes;
  private int opcodes;

  private SafeUnpickler(int maxOpcodes) {
    this.maxOpcodes = maxOpcodes;
  }

  static Object load(byte[] pickle, int maxOpcodes) throws RefusedPickleException {
    SafeUnpickler unpickler = new SafeUnpickler(maxOpcodes);
    try {
      return unpickler.load(new ByteArrayInputStream(pickle));
    } catch (RefusedPickleException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Truncated or malformed input surfaces as any of these from inside Pyrolite.
      throw new RefusedPickleException("malformed pickle: " + e);
    } finally {
      unpickler.close();
    }
  }

  @Override
  protected Object dispatch(short key) throws PickleException, IOException {
    if (++opcodes > maxOpcodes) {
      throw new RefusedPickleException("pickle has more than " + maxOpcodes + " opcodes");
    }
    switch (key) {
      case 'c' -> {
        stack.add(global(readLine(input), readLine(input)));
        return NO_RETURN_VALUE;
      }
      case 0x93 -> {
        Object name = stack.pop();
        Object module = stack.pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
          throw new RefusedPickleException("STACK_GLOBAL needs a module and a name");
        }
        stack.add(global(m, n));
        return NO_RETURN_VALUE;
      }
      case 'R' -> {
        Object args = stack.pop();
        stack.add(reduce(stack.pop(), args));
        return NO_RETURN_VALUE;
      }
      case 0x81 -> {
        Object args = stack.pop();
        Object cls = stack.pop();
        if (!(cls instanceof PyRefs.Global g && g.is(PyRefs.MANAGERS, "Token"))
            || !(args instanceof Object[] a && a.length == 0)) {
          throw refused(key, " would create " + cls);
        }
        stack.add(new PyRefs.Token());
        return NO_RETURN_VALUE;
      }
      case 'b' -> {
        Object state = stack.pop();
        if (!(stack.peek() instanceof PyRefs.Token t)
            || t.built
            || !(state instanceof Object[] st && st.length == 3)
            || !(st[0] instanceof String typeid)
            || !(st[2] instanceof String id)) {
          throw refused(key, " would set the state of " + stack.peek());
        }
        t.typeid = typeid;
        t.id = id;
        t.built = true;
        return NO_RETURN_VALUE;
      }
      case 'i', 'o', 0x92, 0x82, 0x83, 0x84, 'P', 'Q', 0x97, 0x98 -> throw refused(key, "");
      case 'T', 'X', 'B', 0x8b -> checkLength(4);
      case 0x8d, 0x8e, 0x96 -> checkLength(8);
      default -> {}
    }
    return super.dispatch(key);
  }

  private static final int MAX_GLOBAL_CHARS = 200;

  private static PyRefs.Global global(String module, String name) throws RefusedPickleException {
    if (module.length() > MAX_GLOBAL_CHARS || name.length() > MAX_GLOBAL_CHARS) {
      throw new RefusedPickleException("a global's name is longer than " + MAX_GLOBAL_CHARS);
    }
    return new PyRefs.Global(module, name);
  }

  /** REDUCE: only slice(...) and RebuildProxy(...) of plain data; anything else is refused. */
  private Object reduce(Object callable, Object args) throws RefusedPickleException {
    if (callable instanceof PyRefs.Global g && args instanceof Object[] a) {
      if (g.is("builtins", "slice") && a.length >= 1 && a.length <= 3) {
        for (Object bound : a) {
          if (bound != null
              && !(bound instanceof Integer
                  || bound instanceof Long
                  || bound instanceof java.math.BigInteger)) {
            throw new RefusedPickleException(
                "slice indices must be integers or None, not " + PyValues.pyType(bound));
          }
        }
        return a.length == 1
            ? new PyRefs.Slice(null, a[0], null)
            : new PyRefs.Slice(a[0], a[1], a.length == 3 ? a[2] : null);
      }
      if (g.is(PyRefs.MANAGERS, "RebuildProxy")
          && a.length == 4
          && a[0] instanceof PyRefs.Global proxyType
          && proxyType.isProxyType()
          && a[1] instanceof PyRefs.Token t
          && t.built) {
        return new PyRefs.Proxy(t.typeid, t.id);
      }
    }
    throw refused((short) 'R', " would call " + callable);
  }

  private RefusedPickleException refused(short key, String what) {
    return new RefusedPickleException(
        "pickle refused: opcode "
            + opcodeName(key)
            + what
            + "; callables and classes never cross to Colony: only plain data (None, bool, int,"
            + " float, str, bytes, tuple, list, dict, set), slices and this manager's proxies may"
            + " be sent");
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    for (b = in.read(); b != -1 && b != '\n' && line.length() <= MAX_GLOBAL_CHARS; b = in.read()) {
      line.append((char) (b >= 0x20 && b < 0x7f ? b : '?'));
    }
    if (b == -1) {
      throw new RefusedPickleException("truncated pickle");
    }
    return line.toString();
  }

  private void checkLength(int width) throws IOException {
    input.mark(width);
    byte[] prefix = input.readNBytes(width);
    input.reset();
    if (prefix.length < width) {
      throw new RefusedPickleException("truncated pickle");
    }
    ByteBuffer buffer = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
    long length = width == 4 ? buffer.getInt() & 0xffffffffL : buffer.getLong();
    if (length < 0 || length > input.available() - width) {
      throw new RefusedPickleException(
          "pickle declares "
              + Long.toUnsignedString(length)
              + " bytes but only "
              + (input.available() - width)
              + " follow");
    }
  }

  private static String opcodeName(short key) {
    return switch (key) {
      case 'c' -> "GLOBAL";
      case 'i' -> "INST";
      case 0x93 -> "STACK_GLOBAL";
      case 'o' -> "OBJ";
      case 'R' -> "REDUCE";
      case 'b' -> "BUILD";
      case 0x81 -> "NEWOBJ";
      case 0x92 -> "NEWOBJ_EX";
      case 0x82, 0x83, 0x84 -> "EXT";
      case 'P', 'Q' -> "PERSID";
      default -> "0x" + Integer.toHexString(key);
    };
  }

  static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }
}
