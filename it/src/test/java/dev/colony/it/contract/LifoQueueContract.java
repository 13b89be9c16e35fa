package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A LIFO queue serves the newest item first; bound to LinkedBlockingDeque (as stack) and Colony.
 */
abstract class LifoQueueContract {

  /** The two stack operations both implementations share. */
  interface Stack {
    void push(String item) throws InterruptedException;

    /** The newest item, or null once {@code timeoutMillis} passed on an empty stack. */
    String pop(long timeoutMillis) throws InterruptedException;
  }

  protected abstract Stack newStack();

  @Test
  void pop_returnsNewestFirst() throws InterruptedException {
    Stack stack = newStack();
    stack.push("a");
    stack.push("b");
    stack.push("c");
    assertEquals("c", stack.pop(0));
    stack.push("d");
    assertEquals("d", stack.pop(0));
    assertEquals("b", stack.pop(0));
    assertEquals("a", stack.pop(0));
    assertNull(stack.pop(50));
  }

  static String pollFirst(java.util.concurrent.BlockingDeque<String> deque, long timeoutMillis)
      throws InterruptedException {
    return deque.pollFirst(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
