package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.colony.client.task.TaskCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's task type resolution, on the worker's task shapes. */
class ArgumentTypesTest {
  @Test
  void argumentType_directImplementation_isTheDeclaredClass() {
    assertSame(Integer.class, TaskCodec.argumentType(TestTasks.Square.class));
    assertSame(TestTasks.Point.class, TaskCodec.argumentType(TestTasks.PointSum.class));
  }

  @Test
  void argumentType_boundThroughGenericSuperclass_followsTheTypeVariable() {
    assertSame(Integer.class, TaskCodec.argumentType(TestTasks.DoublesIntegers.class));
  }

  @Test
  void argumentType_boundThroughSubInterface_isFound() {
    assertSame(String.class, TaskCodec.argumentType(TestTasks.Length.class));
  }

  @Test
  void argumentType_parameterizedType_isItsRawClass() {
    assertSame(List.class, TaskCodec.argumentType(TestTasks.ListSize.class));
  }

  @Test
  void argumentType_rawTask_isUnknown() {
    assertNull(TaskCodec.argumentType(TestTasks.RawTask.class));
  }

  @Test
  void argumentType_unboundTypeVariable_isUnknown() {
    assertNull(TaskCodec.argumentType(TestTasks.Doubling.class));
  }
}
