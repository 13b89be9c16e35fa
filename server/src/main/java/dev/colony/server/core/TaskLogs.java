package dev.colony.server.core;

import dev.colony.proto.v1.TaskLog;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bound on what the coordinator keeps of a task's log: the worker already keeps at most the
 * last {@link #MAX_LINES} lines and {@link #MAX_BYTES} bytes, and a worker that sends more is cut
 * here to the same bound, the oldest lines first, counted as dropped.
 */
final class TaskLogs {
  static final int MAX_LINES = 100;
  static final int MAX_BYTES = 16 * 1024;

  /** A longer line is cut here, as the worker cuts it. */
  static final int MAX_LINE_CHARS = 4096;

  private TaskLogs() {}

  /** {@code log} within the bound; null for an empty log. */
  static TaskLog bounded(TaskLog log) {
    if (log.getLinesCount() == 0 && log.getDroppedLines() == 0) {
      return null;
    }
    List<String> lines = log.getLinesList();
    int first = lines.size();
    int bytes = 0;
    // From the newest back: keep lines while both bounds hold.
    while (first > 0 && lines.size() - first < MAX_LINES) {
      int size = utf8Length(cut(lines.get(first - 1)));
      if (bytes + size > MAX_BYTES) {
        break;
      }
      bytes += size;
      first--;
    }
    if (first == 0 && !anyCut(lines)) {
      return log;
    }
    TaskLog.Builder kept =
        TaskLog.newBuilder().setDroppedLines(Math.max(0, log.getDroppedLines()) + first);
    for (String line : lines.subList(first, lines.size())) {
      kept.addLines(cut(line));
    }
    return kept.build();
  }

  private static boolean anyCut(List<String> lines) {
    for (String line : lines) {
      if (line.length() > MAX_LINE_CHARS) {
        return true;
      }
    }
    return false;
  }

  private static String cut(String line) {
    return line.length() > MAX_LINE_CHARS
        ? line.substring(0, MAX_LINE_CHARS) + " [cut " + (line.length() - MAX_LINE_CHARS) + "]"
        : line;
  }

  private static int utf8Length(String line) {
    return line.getBytes(StandardCharsets.UTF_8).length;
  }
}
