package dev.colony.python;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import net.razorvine.pickle.Pickler;

/**
 * A Python exception the client should raise, e.g. {@code queue.Empty()} or {@code KeyError('k')}:
 * pickled as {@code module.name(*args)}, which CPython's unpickler rebuilds as that exception.
 */
final class PyRaise extends RuntimeException {
  private final String module;
  private final String pythonName;
  private final Object[] args;

  PyRaise(String module, String pythonName, Object... args) {
    super(module + "." + pythonName, null, false, false);
    this.module = module;
    this.pythonName = pythonName;
    this.args = args;
  }

  static PyRaise builtin(String name, Object... args) {
    return new PyRaise("builtins", name, args);
  }

  static PyRaise valueError(String message) {
    return builtin("ValueError", message);
  }

  static PyRaise typeError(String message) {
    return builtin("TypeError", message);
  }

  static PyRaise runtimeError(String message) {
    return builtin("RuntimeError", message);
  }

  static {
    Pickler.registerCustomPickler(PyRaise.class, PyRaise::pickle);
  }

  /** Forces the pickler registration before the first reply is pickled. */
  static void register() {}

  private static void pickle(Object o, OutputStream out, Pickler pickler) throws IOException {
    PyRaise e = (PyRaise) o;
    out.write('c');
    out.write((e.module + "\n" + e.pythonName + "\n").getBytes(StandardCharsets.UTF_8));
    pickler.save(e.args);
    out.write('R');
  }

  @Override
  public String getMessage() {
    StringBuilder s = new StringBuilder(pythonName).append('(');
    for (int i = 0; i < args.length; i++) {
      s.append(i == 0 ? "" : ", ").append(args[i]);
    }
    return s.append(')').toString();
  }
}
