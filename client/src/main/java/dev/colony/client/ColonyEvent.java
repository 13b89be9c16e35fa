package dev.colony.client;

import java.util.concurrent.TimeUnit;

/** A shared flag, like Python's {@code threading.Event}. */
public interface ColonyEvent {
  String name();

  /** Sets the flag and wakes every waiter. */
  void set();

  void clear();

  boolean isSet();

  /** Waits until the flag is set. */
  void await() throws InterruptedException;

  /** Waits at most the timeout; returns the flag (false only when the timeout passed). */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException;
}
