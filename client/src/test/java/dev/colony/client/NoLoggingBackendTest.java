package dev.colony.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.internal.Loggers;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.helpers.NOPLogger;

/**
 * An application that depends on colony-client alone: its class path is the SDK's classes plus the
 * SDK's runtime dependencies as Maven resolves them (written by the dependency plugin to
 * target/runtime-classpath.txt), with no logging backend. It connects to a real coordinator, puts
 * and takes on a queue, and prints nothing from SLF4J.
 */
@Timeout(120)
class NoLoggingBackendTest {
  private static final String PROGRAM =
      """
      import dev.colony.client.*;
      import java.util.concurrent.TimeUnit;

      public class App {
        public static void main(String[] args) throws Exception {
          try (ColonyClient colony = Colony.connect(args[0])) {
            ColonyQueue<String> jobs = colony.queue(args[1], String.class);
            jobs.put("hello");
            System.out.println(jobs.poll(10, TimeUnit.SECONDS));
          }
        }
      }
      """;

  @Test
  void withBackend_sdkLogsThroughIt() {
    // This JVM has logback (test scope): the SDK's loggers are the application's.
    assertNotSame(NOPLogger.NOP_LOGGER, Loggers.get(NoLoggingBackendTest.class));
  }

  @Test
  void queuePutTake_withoutLoggingBackend_printsNoSlf4jWarning(@TempDir Path dir) throws Exception {
    String runtime =
        Files.readString(Path.of("target", "runtime-classpath.txt"), StandardCharsets.UTF_8).trim();
    assertTrue(runtime.contains("slf4j-api"), runtime);
    assertFalse(runtime.contains("logback") || runtime.contains("slf4j-simple"), runtime);
    String classPath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + runtime;
    Path source = dir.resolve("App.java");
    Files.writeString(source, PROGRAM);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");

    Process app =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    classPath,
                    source.toString(),
                    ColonyServerFixture.target(),
                    ColonyServerFixture.name("no-backend")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertTrue(app.waitFor(90, TimeUnit.SECONDS), "the application did not finish");
    } finally {
      app.destroyForcibly();
    }

    String stderr = Files.readString(err);
    assertEquals(0, app.exitValue(), stderr);
    assertEquals("hello", Files.readString(out).trim());
    assertFalse(stderr.contains("SLF4J"), stderr);
  }
}
