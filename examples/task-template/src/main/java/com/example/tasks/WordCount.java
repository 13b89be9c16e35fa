package com.example.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * Counts the words of a text. Run it with {@code colony submit com.example.tasks.WordCount "a b
 * c"} (prints 3), or from Java with {@code pool.apply(WordCount.class, text)}.
 */
public class WordCount implements Task<String, Integer> {
  @Override
  public Integer call(String text, TaskContext ctx) {
    ctx.logger().info("counting the words of {} characters", text.length());
    String trimmed = text.strip();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }
}
