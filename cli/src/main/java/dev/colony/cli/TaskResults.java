package dev.colony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.client.internal.TaskPayloads;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.TaskState;
import java.util.Base64;
import java.util.Locale;

/** How task results, states and errors read in a terminal. */
final class TaskResults {
  private TaskResults() {}

  /**
   * A result as text: JSON for structured results (records, maps, lists), plain for strings and
   * numbers, base64 for bytes, and "" for null.
   */
  static String text(Payload payload) {
    Object value;
    try {
      value = TaskPayloads.decode(payload, null);
    } catch (RuntimeException e) {
      throw new CommandFailedException(
          ExitCodes.ERROR,
          "the result has codec '" + payload.getCodec() + "', which the CLI cannot print");
    }
    return text(value);
  }

  /** A decoded result as {@link #text(Payload)} prints it. */
  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof JsonNode json) {
      return json.toString();
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    return String.valueOf(value);
  }

  /** TASK_STATE_SUCCEEDED → succeeded. */
  static String state(TaskState state) {
    return state.name().replace("TASK_STATE_", "").toLowerCase(Locale.ROOT);
  }

  /** "class: message", on one line (the message's first line). */
  static String oneLine(RemoteError error) {
    String message = error.getMessage();
    int end = message.indexOf('\n');
    if (end >= 0) {
      message = message.substring(0, end) + " ...";
    }
    return message.isEmpty() ? error.getClassName() : error.getClassName() + ": " + message;
  }
}
