package dev.colony.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.client.Task;
import dev.colony.client.TaskContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTypesTest {
  abstract static class NumberTask<N> implements Task<N, List<N>> {}

  static final class Squares extends NumberTask<Integer> {
    @Override
    public List<Integer> call(Integer argument, TaskContext context) {
      return List.of(argument * argument);
    }
  }

  @SuppressWarnings("rawtypes")
  static final class Raw implements Task {
    @Override
    public Object call(Object argument, TaskContext context) {
      return argument;
    }
  }

  @Test
  void resolvesThroughBoundTypeVariables() {
    assertEquals(Integer.class, TaskTypes.argumentType(Squares.class));
    assertEquals(List.class, TaskTypes.resultType(Squares.class));
  }

  @Test
  void rawTask_declaresNothing_andResultsDecodeByCodec() {
    assertNull(TaskTypes.resultType(Raw.class));
    assertEquals(5L, TaskPayloads.decode(Codecs.LONG.encode(5L), null));
    assertEquals("x", TaskPayloads.decode(Codecs.STRING.encode("x"), Object.class));
    Object json = TaskPayloads.decode(TaskPayloads.encode(List.of(1, 2)), null);
    assertEquals(2, ((JsonNode) json).size());
    assertNull(TaskPayloads.decode(TaskPayloads.encode(null), Integer.class));
  }
}
