package dev.colony.worker;

import dev.colony.client.Task;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/** A loaded task class: how to make an instance and what its argument type is. */
final class TaskType {
  private final Class<?> taskClass;
  private final Constructor<?> constructor;
  private final Class<?> argumentType;

  TaskType(Class<?> taskClass, Constructor<?> constructor, Class<?> argumentType) {
    this.taskClass = taskClass;
    this.constructor = constructor;
    this.argumentType = argumentType;
  }

  Class<?> taskClass() {
    return taskClass;
  }

  /** The declared argument class, or null when it cannot be resolved. */
  Class<?> argumentType() {
    return argumentType;
  }

  /**
   * A fresh instance for one execution.
   *
   * @throws Throwable what the constructor (or the class's static initializer) threw
   */
  @SuppressWarnings("unchecked")
  Task<Object, Object> newInstance() throws Throwable {
    try {
      return (Task<Object, Object>) constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } catch (ExceptionInInitializerError e) {
      throw e.getCause() == null ? e : e.getCause();
    }
  }
}
