package dev.colony.client;

import java.util.concurrent.locks.Condition;

/**
 * A shared condition bound to a {@link ColonyLock}, with the {@link Condition} contract: the
 * calling thread must hold the lock to await or signal ({@link IllegalMonitorStateException}
 * otherwise); await releases the lock fully and holds it again, with the same hold count, when it
 * returns or throws.
 */
public interface ColonyCondition extends Condition {
  String name();
}
