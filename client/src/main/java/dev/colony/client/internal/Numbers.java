package dev.colony.client.internal;

import java.util.Map;

/** Widening of tuple values for record constructors: an Integer 3 is fine for a long component. */
final class Numbers {
  private static final Map<Class<?>, Class<?>> BOXED =
      Map.of(
          long.class, Long.class,
          int.class, Integer.class,
          double.class, Double.class,
          float.class, Float.class,
          short.class, Short.class,
          byte.class, Byte.class);

  private Numbers() {}

  /** {@code value} as {@code type} when both are numbers and the conversion loses nothing. */
  static Object coerce(Object value, Class<?> type) {
    if (!(value instanceof Number number)) {
      return value;
    }
    Class<?> boxed = BOXED.getOrDefault(type, type);
    if (boxed.isInstance(value)) {
      return value;
    }
    boolean integral =
        value instanceof Long
            || value instanceof Integer
            || value instanceof Short
            || value instanceof Byte;
    if (boxed == Long.class && integral) {
      return number.longValue();
    }
    if (boxed == Integer.class && integral && number.longValue() == number.intValue()) {
      return number.intValue();
    }
    if (boxed == Double.class && (integral || value instanceof Float)) {
      return number.doubleValue();
    }
    return value; // let the constructor refuse it with its own message
  }
}
