package dev.colony.worker;

import dev.colony.proto.v1.TaskLog;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * The logger a task gets from {@code TaskContext.logger()}. Each line goes to the worker's output
 * prefixed with the task ({@code [task 42 resize] INFO message}), whatever the application's
 * logging configuration, and the last lines of the attempt are kept for its result ({@link
 * #capture()}), bounded as {@link TaskLog} says. INFO, WARN and ERROR are always on; DEBUG and
 * TRACE when the application's logger of the task's class has them on.
 */
final class TaskLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  /** Lines kept per attempt. */
  static final int MAX_LINES = 100;

  /** UTF-8 bytes of kept lines per attempt. */
  static final int MAX_BYTES = 16 * 1024;

  /** A longer line is cut here, so that one line never pushes out all the others. */
  static final int MAX_LINE_CHARS = 4096;

  private final transient String prefix;
  private final transient Supplier<PrintStream> output;
  private final transient Logger levels;
  private final transient ArrayDeque<String> lines = new ArrayDeque<>();
  private transient int bytes;
  private transient long dropped;
  private transient boolean captured;

  /**
   * @param prefix put before each line on the output, e.g. {@code [task 42 resize] }
   * @param output the worker's output, read at each line
   */
  TaskLogger(Class<?> taskClass, String prefix, Supplier<PrintStream> output) {
    this.name = taskClass.getName();
    this.prefix = prefix;
    this.output = output;
    this.levels = LoggerFactory.getLogger(taskClass);
  }

  /** The lines logged so far; lines logged afterwards go to the output only. */
  synchronized TaskLog capture() {
    captured = true;
    return TaskLog.newBuilder().addAllLines(lines).setDroppedLines(dropped).build();
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    String line = level + " " + message;
    PrintStream out = output.get();
    if (thrown == null) {
      out.println(prefix + line);
    } else {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      out.print(prefix + line + System.lineSeparator() + trace);
      out.flush();
      line += " (" + thrown + ")";
    }
    keep(line);
  }

  private synchronized void keep(String line) {
    if (captured) {
      return;
    }
    if (line.length() > MAX_LINE_CHARS) {
      line = line.substring(0, MAX_LINE_CHARS) + " [cut " + (line.length() - MAX_LINE_CHARS) + "]";
    }
    lines.addLast(line);
    bytes += utf8Length(line);
    while (lines.size() > MAX_LINES || bytes > MAX_BYTES) {
      bytes -= utf8Length(lines.removeFirst());
      dropped++;
    }
  }

  static int utf8Length(String s) {
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)) {
        length += 4;
        i++;
      } else {
        length += 3;
      }
    }
    return length;
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  public boolean isTraceEnabled() {
    return levels.isTraceEnabled();
  }

  @Override
  public boolean isDebugEnabled() {
    return levels.isDebugEnabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return true;
  }

  @Override
  public boolean isWarnEnabled() {
    return true;
  }

  @Override
  public boolean isErrorEnabled() {
    return true;
  }
}
