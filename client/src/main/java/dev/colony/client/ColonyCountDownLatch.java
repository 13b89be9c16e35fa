package dev.colony.client;

import java.util.concurrent.TimeUnit;

/** A shared {@link java.util.concurrent.CountDownLatch}. */
public interface ColonyCountDownLatch {
  String name();

  void countDown();

  void await() throws InterruptedException;

  /** Returns false when the timeout passed before the count reached zero. */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException;

  long getCount();
}
