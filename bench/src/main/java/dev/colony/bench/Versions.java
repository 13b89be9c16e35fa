package dev.colony.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions for the report's meta, read from what is on the classpath. */
final class Versions {
  private Versions() {}

  /** The version the cli module wrote at build time, or "unknown" outside the colony jar. */
  static String colony() {
    Properties properties = new Properties();
    try (InputStream in =
        Versions.class.getClassLoader().getResourceAsStream("dev/colony/cli/version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return properties.getProperty("version", "unknown");
  }

  /** grpc-java's version (GrpcUtil.IMPLEMENTATION_VERSION, read reflectively), or "unknown". */
  static String grpc() {
    try {
      Object version =
          Class.forName("io.grpc.internal.GrpcUtil").getField("IMPLEMENTATION_VERSION").get(null);
      return String.valueOf(version);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return "unknown";
    }
  }
}
