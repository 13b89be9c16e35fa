package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.RemoteError;
import dev.colony.proto.v1.TaskFailureReason;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class RemoteErrorsTest {
  @Test
  void thrown_keepsClassMessageStackAndCauseChain() {
    IllegalStateException error =
        new IllegalStateException("outer", new IOException("inner", new ArithmeticException()));

    RemoteError remote = RemoteErrors.thrown(error, TaskFailureReason.TASK_THREW);

    assertEquals("java.lang.IllegalStateException", remote.getClassName());
    assertEquals("outer", remote.getMessage());
    assertEquals(TaskFailureReason.TASK_THREW, remote.getReason());
    assertFalse(remote.getStackList().isEmpty());
    assertTrue(remote.getStack(0).startsWith("at dev.colony.worker.RemoteErrorsTest."));
    RemoteError inner = remote.getCause();
    assertEquals("java.io.IOException", inner.getClassName());
    assertEquals("inner", inner.getMessage());
    assertEquals("java.lang.ArithmeticException", inner.getCause().getClassName());
    assertEquals("", inner.getCause().getMessage());
    assertFalse(inner.getCause().hasCause());
  }

  @Test
  void thrown_cyclicCauses_stopsAtTheCycle() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b);

    RemoteError remote = RemoteErrors.thrown(a, TaskFailureReason.TASK_THREW);

    assertEquals("b", remote.getCause().getMessage());
    assertFalse(remote.getCause().hasCause());
  }

  @Test
  void thrown_deepRecursion_boundsStackLines() {
    StackOverflowError overflow = recurse(0);

    RemoteError remote = RemoteErrors.thrown(overflow, TaskFailureReason.TASK_THREW);

    assertEquals(RemoteErrors.MAX_STACK_LINES + 1, remote.getStackCount());
    assertTrue(remote.getStack(RemoteErrors.MAX_STACK_LINES).endsWith("more"));
  }

  @Test
  void refusal_hasItsReasonAndNoWorkerFrames() {
    TaskRefusal refusal =
        TaskRefusal.badArgument("cannot decode", new IllegalArgumentException("bad json"));

    RemoteError remote = RemoteErrors.refusal(refusal);

    assertEquals(TaskFailureReason.BAD_ARGUMENT, remote.getReason());
    assertEquals("java.lang.IllegalArgumentException", remote.getClassName());
    assertEquals(0, remote.getStackCount());
    assertEquals("bad json", remote.getCause().getMessage());
  }

  private static StackOverflowError recurse(int depth) {
    try {
      return recurse(depth + 1);
    } catch (StackOverflowError e) {
      return e;
    }
  }
}
