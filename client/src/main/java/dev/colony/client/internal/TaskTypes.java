package dev.colony.client.internal;

import dev.colony.client.Task;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the {@code A} and {@code R} of a task class's {@code Task<A, R>}, walking superclasses and
 * superinterfaces and following type variables bound on the way ({@code class Square extends
 * NumberTask<Integer>} with {@code abstract class NumberTask<N> implements Task<N, N>} gives
 * Integer for both).
 */
public final class TaskTypes {
  private TaskTypes() {}

  /** The declared argument class, or null when it cannot be known. */
  public static Class<?> argumentType(Class<?> taskClass) {
    return resolve(taskClass, 0);
  }

  /** The declared result class, or null when it cannot be known. */
  public static Class<?> resultType(Class<?> taskClass) {
    return resolve(taskClass, 1);
  }

  /** Parameterized types give their raw class; type variables and wildcards give null. */
  private static Class<?> resolve(Class<?> taskClass, int index) {
    Type found = find(taskClass, Map.of(), index);
    return found == null ? null : rawClass(found);
  }

  private static Type find(Type type, Map<TypeVariable<?>, Type> bindings, int index) {
    Class<?> raw;
    Map<TypeVariable<?>, Type> here = new HashMap<>();
    if (type instanceof ParameterizedType parameterized) {
      raw = (Class<?>) parameterized.getRawType();
      TypeVariable<?>[] variables = raw.getTypeParameters();
      Type[] arguments = parameterized.getActualTypeArguments();
      for (int i = 0; i < variables.length; i++) {
        here.put(variables[i], substitute(arguments[i], bindings));
      }
      if (raw == Task.class) {
        return here.get(variables[index]);
      }
    } else if (type instanceof Class<?> c) {
      raw = c;
      if (raw == Task.class) {
        return null; // a raw Task declares nothing
      }
    } else {
      return null;
    }
    for (Type parent : raw.getGenericInterfaces()) {
      if (isTask(parent)) {
        return find(parent, here, index);
      }
    }
    Type superclass = raw.getGenericSuperclass();
    if (superclass != null && isTask(superclass)) {
      return find(superclass, here, index);
    }
    return null;
  }

  private static boolean isTask(Type type) {
    Class<?> raw = rawClass(type);
    return raw != null && Task.class.isAssignableFrom(raw);
  }

  private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
    if (type instanceof TypeVariable<?> variable && bindings.containsKey(variable)) {
      return bindings.get(variable);
    }
    return type;
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType parameterized) {
      return (Class<?>) parameterized.getRawType();
    }
    if (type instanceof GenericArrayType array) {
      Class<?> component = rawClass(array.getGenericComponentType());
      return component == null ? null : component.arrayType();
    }
    return null;
  }
}
