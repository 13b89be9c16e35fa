package dev.colony.server.core;

/** Something that happens at a deadline: a waiter's timeout or a session's lease check. */
public abstract class Timed {
  /** No deadline: waits as long as it takes. */
  public static final long NEVER = Long.MAX_VALUE;

  long deadline = NEVER;
  boolean scheduled;

  /** Orders equal deadlines: the order in which they were scheduled (see {@link Timers}). */
  long seq;

  public long deadline() {
    return deadline;
  }

  /** Called while a command is applied, when {@code now >= deadline}. */
  protected abstract void fire(long now);

  /** False once the entry no longer needs its deadline (served, cancelled, ended). */
  protected abstract boolean isLive();
}
