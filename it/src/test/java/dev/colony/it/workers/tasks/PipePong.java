package dev.colony.it.workers.tasks;

import dev.colony.client.PipeEnd;
import dev.colony.client.PipeSide;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.io.EOFException;

/**
 * End B of a ping-pong: answers every number with the next one until the other end closes, then
 * answers how many numbers it received.
 */
public final class PipePong implements Task<String, Integer> {

  @Override
  public Integer call(String pipe, TaskContext context) throws Exception {
    int received = 0;
    try (PipeEnd<Integer> end = context.colony().pipe(pipe, Integer.class, PipeSide.B)) {
      while (true) {
        int ball;
        try {
          ball = end.recv();
        } catch (EOFException endOfStream) {
          return received;
        }
        received++;
        end.send(ball + 1);
      }
    }
  }
}
