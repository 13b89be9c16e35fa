package dev.colony.worker;

/**
 * Who is ending the JVM, asked from a shutdown hook. {@code System.exit} runs the hooks on the
 * calling thread and blocks it there, so that thread's stack still shows the call.
 */
final class JvmExit {
  private JvmExit() {}

  /** True if {@code thread} is inside {@code System.exit} (or {@code Runtime.exit}). */
  static boolean isCalledBy(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals("java.lang.Shutdown")
          && frame.getMethodName().equals("exit")) {
        return true;
      }
    }
    return false;
  }
}
