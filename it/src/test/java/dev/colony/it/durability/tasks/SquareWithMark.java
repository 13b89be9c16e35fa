package dev.colony.it.durability.tasks;

import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** n * n; the item numbered {@code mark} also creates the file {@code mark-<n>} in {@code dir}. */
public final class SquareWithMark implements Task<SquareWithMark.Item, Long> {

  public record Item(String dir, int mark, long n) {}

  @Override
  public Long call(Item item, TaskContext context) {
    if (item.n() == item.mark()) {
      try {
        Files.writeString(Path.of(item.dir()).resolve("mark-" + item.n()), context.workerId());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return item.n() * item.n();
  }
}
