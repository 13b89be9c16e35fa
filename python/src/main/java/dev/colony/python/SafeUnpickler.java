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
 * dict, set. Pyrolite itself never runs Python code, but for a global it does not know it builds a
 * {@code ClassDict} (and for some it knows, a Java object); here every opcode that names a class or
 * a callable, or calls one, is refused before it is applied, so a {@code __reduce__} payload builds
 * nothing. Length prefixes are checked against the bytes actually left, so a forged length never
 * allocates, and the number of opcodes is bounded, so a small frame cannot build a huge graph.
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
      case 'c', 'i' -> throw refused(key, describeGlobal());
      case 0x93, 'o', 'R', 'b', 0x81, 0x92, 0x82, 0x83, 0x84, 'P', 'Q', 0x97, 0x98 ->
          throw refused(key, "");
      case 'T', 'X', 'B', 0x8b -> checkLength(4);
      case 0x8d, 0x8e, 0x96 -> checkLength(8);
      default -> {}
    }
    return super.dispatch(key);
  }

  private RefusedPickleException refused(short key, String what) {
    return new RefusedPickleException(
        "pickle refused: opcode "
            + opcodeName(key)
            + what
            + " would name or call a class or function; only plain data (None, bool, int, float,"
            + " str, bytes, tuple, list, dict, set) may be sent to Colony");
  }

  private String describeGlobal() {
    try {
      InputStream in = input;
      String module = readLine(in, 100);
      String name = readLine(in, 100);
      return " (" + module + "." + name + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private static String readLine(InputStream in, int max) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != -1 && b != '\n' && line.length() < max; b = in.read()) {
      line.append((char) (b >= 0x20 && b < 0x7f ? b : '?'));
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
