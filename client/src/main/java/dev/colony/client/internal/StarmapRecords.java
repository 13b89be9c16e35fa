package dev.colony.client.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pool.starmap's arguments: each tuple becomes the task's record argument through the record's
 * canonical constructor, its values coerced to the components' types ({@link Numbers#coerce}).
 */
final class StarmapRecords {
  private StarmapRecords() {}

  /**
   * One record per tuple, in order.
   *
   * @throws IllegalArgumentException if the task's argument is not a record, or a tuple does not
   *     fit it
   */
  static List<Object> of(Class<?> task, Iterable<? extends List<?>> tuples) {
    Objects.requireNonNull(tuples, "tuples");
    Constructor<?> constructor = canonicalConstructor(task);
    List<Object> records = new ArrayList<>();
    int index = 0;
    for (List<?> tuple : tuples) {
      records.add(newRecord(constructor, tuple, index++));
    }
    return records;
  }

  private static Constructor<?> canonicalConstructor(Class<?> task) {
    Class<?> argument = TaskTypes.argumentType(Objects.requireNonNull(task, "task"));
    if (argument == null || !argument.isRecord()) {
      throw new IllegalArgumentException(
          "starmap needs a task whose argument is a record; "
              + task.getName()
              + " takes "
              + (argument == null ? "an undeclared type" : argument.getName()));
    }
    RecordComponent[] components = argument.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    try {
      Constructor<?> constructor = argument.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot use the canonical constructor of " + argument.getName() + ": " + e, e);
    }
  }

  private static Object newRecord(Constructor<?> constructor, List<?> tuple, int index) {
    Class<?>[] types = constructor.getParameterTypes();
    if (tuple == null || tuple.size() != types.length) {
      throw new IllegalArgumentException(
          "tuple "
              + index
              + " has "
              + (tuple == null ? "no" : String.valueOf(tuple.size()))
              + " values; "
              + constructor.getDeclaringClass().getSimpleName()
              + " takes "
              + types.length);
    }
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      values[i] = Numbers.coerce(tuple.get(i), types[i]);
    }
    try {
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          "tuple " + index + " was refused by the record: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tuple "
              + index
              + " "
              + tuple
              + " does not fit "
              + constructor.getDeclaringClass().getSimpleName()
              + List.of(types).stream().map(Class::getSimpleName).toList()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
