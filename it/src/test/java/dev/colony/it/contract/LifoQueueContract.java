package dev.colony.it.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A LIFO queue serves the newest item first, and lists its items in that order; bound to
 * LinkedBlockingDeque (as a stack, and through {@link Collections#asLifoQueue} as a Queue) and
 * Colony.
 */
abstract class LifoQueueContract {

  /** The two stack operations both implementations share. */
  interface Stack {
    void push(String item) throws InterruptedException;

    /** The newest item, or null once {@code timeoutMillis} passed on an empty stack. */
    String pop(long timeoutMillis) throws InterruptedException;
  }

  protected abstract Stack newStack();

  /** A new empty LIFO queue seen as a {@link Queue}: offer pushes, poll pops. */
  protected abstract Queue<String> newLifoQueue();

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

  @Test
  void iteratorPeekAndToArray_listNewestFirst() {
    Queue<String> stack = newLifoQueue();
    stack.addAll(List.of("a", "b", "c"));
    assertEquals("c", stack.peek());
    assertEquals(List.of("c", "b", "a"), new ArrayList<>(stack));
    assertArrayEquals(new Object[] {"c", "b", "a"}, stack.toArray());
    assertEquals("[c, b, a]", stack.toString());
  }

  @Test
  void iteratorRemove_andRemoveObject_takeItemsOutOfTheMiddle() {
    Queue<String> stack = newLifoQueue();
    stack.addAll(List.of("a", "x", "b", "x", "c"));
    assertTrue(stack.remove("x")); // the newest x
    Iterator<String> it = stack.iterator();
    assertEquals("c", it.next());
    assertEquals("b", it.next());
    it.remove();
    assertTrue(stack.removeIf(item -> item.equals("a")));
    assertEquals(List.of("c", "x"), BlockingQueueContract.takeAll(stack));
  }

  @Test
  void iterator_readsAStackLargerThanAPage_newestFirst() {
    Queue<String> stack = newLifoQueue();
    List<String> items = BlockingQueueContract.numbered(SmallPages.MORE_THAN_A_PAGE);
    stack.addAll(items);
    List<String> newestFirst = new ArrayList<>(items);
    Collections.reverse(newestFirst);
    assertEquals(newestFirst, new ArrayList<>(stack));
    assertEquals(newestFirst, BlockingQueueContract.takeAll(stack));
  }

  static String pollFirst(java.util.concurrent.BlockingDeque<String> deque, long timeoutMillis)
      throws InterruptedException {
    return deque.pollFirst(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
