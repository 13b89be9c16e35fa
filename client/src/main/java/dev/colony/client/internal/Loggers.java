package dev.colony.client.internal;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Where the SDK gets its loggers. The SDK depends on the SLF4J API only and leaves the backend to
 * the application; an application with none gets no log lines from the SDK and, unlike a plain
 * {@link LoggerFactory#getLogger}, no "SLF4J(W): No SLF4J providers were found" on its stderr,
 * because the SDK never touches {@code LoggerFactory} unless a provider is there to bind.
 *
 * <p>gRPC's shaded Netty would print that warning on the SDK's behalf: it probes SLF4J first and,
 * finding the no-operation binding, falls back to Log4j 2 if present, else java.util.logging. With
 * no provider, {@link #beforeTransport()} gives it that fallback directly.
 */
public final class Loggers {
  private static final boolean PROVIDER_PRESENT = providerPresent();
  private static final String NETTY_LOGGING =
      "io.grpc.netty.shaded.io.netty.util.internal.logging.";
  private static volatile boolean transportReady;

  private Loggers() {}

  /**
   * The SLF4J logger of that name, or a no-operation logger when the application has no backend.
   */
  public static Logger get(String name) {
    return PROVIDER_PRESENT ? LoggerFactory.getLogger(name) : NOPLogger.NOP_LOGGER;
  }

  /** The SLF4J logger of that class, or a no-operation logger when the application has none. */
  public static Logger get(Class<?> type) {
    return get(type.getName());
  }

  /**
   * Call before the first channel is built: without a SLF4J provider, sets the shaded Netty's
   * internal logging to what it would fall back to (Log4j 2 if present, else java.util.logging)
   * without its SLF4J probe. A no-op when a provider is present or the transport is not
   * grpc-netty-shaded.
   */
  public static void beforeTransport() {
    if (PROVIDER_PRESENT || transportReady) {
      return;
    }
    transportReady = true;
    try {
      Class<?> factory = Class.forName(NETTY_LOGGING + "InternalLoggerFactory");
      String fallback = "JdkLoggerFactory";
      try {
        Class.forName("org.apache.logging.log4j.LogManager", false, factory.getClassLoader());
        fallback = "Log4J2LoggerFactory";
      } catch (ClassNotFoundException | LinkageError e) {
        // No Log4j 2: java.util.logging, as Netty would choose.
      }
      Object chosen = Class.forName(NETTY_LOGGING + fallback).getField("INSTANCE").get(null);
      factory.getMethod("setDefaultFactory", factory).invoke(null, chosen);
    } catch (ReflectiveOperationException | LinkageError e) {
      // Another transport (or another Netty): nothing of ours to set.
    }
  }

  /**
   * Looks for a provider the way SLF4J 2 does: the {@code slf4j.provider} property, then the
   * service loader from SLF4J's own class loader. A broken provider counts as present, so SLF4J
   * reports it as it would without this check.
   */
  private static boolean providerPresent() {
    String explicit = System.getProperty("slf4j.provider");
    if (explicit != null && !explicit.isBlank()) {
      return true;
    }
    try {
      return ServiceLoader.load(SLF4JServiceProvider.class, LoggerFactory.class.getClassLoader())
          .iterator()
          .hasNext();
    } catch (ServiceConfigurationError | SecurityException e) {
      return true;
    }
  }
}
