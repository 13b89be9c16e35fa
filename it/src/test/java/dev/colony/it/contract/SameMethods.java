package dev.colony.it.contract;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Binds a contract's view interface to an object with methods of the same names and signatures. The
 * JDK class and the Colony proxy share no Java type (AtomicLong is a class, ColonyAtomicLong an
 * interface), so each contract states the methods it calls and both sides are seen through it; a
 * missing method fails the binding at once.
 */
final class SameMethods {
  private SameMethods() {}

  /**
   * {@code target} seen as {@code view}; methods are looked up on {@code type}, the public type
   * that declares them (not the implementation class, which may not be accessible).
   */
  static <V, T> V as(Class<V> view, Class<T> type, T target) {
    for (Method method : view.getMethods()) {
      lookup(type, method);
    }
    return view.cast(
        Proxy.newProxyInstance(
            view.getClassLoader(),
            new Class<?>[] {view},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
              }
              try {
                return lookup(type, method).invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }

  private static Method lookup(Class<?> type, Method method) {
    try {
      return type.getMethod(method.getName(), method.getParameterTypes());
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type.getName() + " has no " + method, e);
    }
  }
}
