package dev.colony.it.workers.tasks;

import dev.colony.client.ColonyClient;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;

/**
 * Sets the shared event {@code started}, then waits for the event {@code gate}. Released, it sets
 * {@code finished} and answers "released"; cancelled (it is interrupted, and {@link
 * TaskContext#isCancelled()} says so), it sets {@code cancelled} and rethrows.
 */
public final class HoldUntilCancelled implements Task<HoldUntilCancelled.Hold, String> {

  public record Hold(String started, String gate, String cancelled, String finished) {}

  @Override
  public String call(Hold hold, TaskContext context) throws InterruptedException {
    ColonyClient colony = context.colony();
    colony.event(hold.started()).set();
    try {
      colony.event(hold.gate()).await();
    } catch (InterruptedException e) {
      if (context.isCancelled()) {
        colony.event(hold.cancelled()).set();
      }
      throw e;
    }
    colony.event(hold.finished()).set();
    return "released";
  }
}
