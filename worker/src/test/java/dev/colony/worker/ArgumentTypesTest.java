package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentTypesTest {
  @Test
  void argumentType_directImplementation_isTheDeclaredClass() {
    assertSame(Integer.class, ArgumentTypes.argumentType(TestTasks.Square.class));
    assertSame(TestTasks.Point.class, ArgumentTypes.argumentType(TestTasks.PointSum.class));
  }

  @Test
  void argumentType_boundThroughGenericSuperclass_followsTheTypeVariable() {
    assertSame(Integer.class, ArgumentTypes.argumentType(TestTasks.DoublesIntegers.class));
  }

  @Test
  void argumentType_boundThroughSubInterface_isFound() {
    assertSame(String.class, ArgumentTypes.argumentType(TestTasks.Length.class));
  }

  @Test
  void argumentType_parameterizedType_isItsRawClass() {
    assertSame(List.class, ArgumentTypes.argumentType(TestTasks.ListSize.class));
  }

  @Test
  void argumentType_rawTask_isUnknown() {
    assertNull(ArgumentTypes.argumentType(TestTasks.RawTask.class));
  }

  @Test
  void argumentType_unboundTypeVariable_isUnknown() {
    assertNull(ArgumentTypes.argumentType(TestTasks.Doubling.class));
  }
}
