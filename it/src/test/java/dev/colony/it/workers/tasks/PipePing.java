package dev.colony.it.workers.tasks;

import dev.colony.client.PipeEnd;
import dev.colony.client.PipeSide;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * End A of a ping-pong: sends 0, 2, 4, ... and expects each answer to be one more; after {@code
 * rounds} exchanges it closes its end. Answers the last number it received.
 */
public final class PipePing implements Task<PipePing.Rally, Integer> {

  public record Rally(String pipe, int rounds) {}

  @Override
  public Integer call(Rally rally, TaskContext context) throws Exception {
    int last = -1;
    try (PipeEnd<Integer> end = context.colony().pipe(rally.pipe(), Integer.class, PipeSide.A)) {
      for (int round = 0; round < rally.rounds(); round++) {
        int ball = 2 * round;
        end.send(ball);
        last = end.recv();
        if (last != ball + 1) {
          throw new IllegalStateException("sent " + ball + " but got back " + last);
        }
      }
    }
    return last;
  }
}
