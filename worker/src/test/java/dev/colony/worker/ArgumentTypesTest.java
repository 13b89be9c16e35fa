package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.colony.client.internal.TaskTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's task type resolution, on the worker's task shapes. */
class ArgumentTypesTest {
  @Test
  void argumentType_directImplementation_isTheDeclaredClass() {
    assertSame(Integer.class, TaskTypes.argumentType(TestTasks.Square.class));
    assertSame(TestTasks.Point.class, TaskTypes.argumentType(TestTasks.PointSum.class));
  }

  @Test
  void argumentType_boundThroughGenericSuperclass_followsTheTypeVariable() {
    assertSame(Integer.class, TaskTypes.argumentType(TestTasks.DoublesIntegers.class));
  }

  @Test
  void argumentType_boundThroughSubInterface_isFound() {
    assertSame(String.class, TaskTypes.argumentType(TestTasks.Length.class));
  }

  @Test
  void argumentType_parameterizedType_isItsRawClass() {
    assertSame(List.class, TaskTypes.argumentType(TestTasks.ListSize.class));
  }

  @Test
  void argumentType_rawTask_isUnknown() {
    assertNull(TaskTypes.argumentType(TestTasks.RawTask.class));
  }

  @Test
  void argumentType_unboundTypeVariable_isUnknown() {
    assertNull(TaskTypes.argumentType(TestTasks.Doubling.class));
  }
}
