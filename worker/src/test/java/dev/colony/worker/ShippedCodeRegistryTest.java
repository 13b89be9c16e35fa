package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.TaskFailureReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shipped code on the worker: refused without --allow-code-from-clients, checked against its hash,
 * fetched once and then served from the loader (or the disk cache), and allowed whatever the allow
 * list says.
 */
class ShippedCodeRegistryTest {
  @TempDir Path temp;

  private TaskRegistry registry() {
    // No --tasks and no --allow-tasks: nothing of the worker's own runs.
    return TaskRegistry.create(List.of(), TaskAllowList.of(List.of()));
  }

  @Test
  void withoutTheFlag_shippedCodeIsRefusedNamingIt() {
    TaskRefusal refusal =
        assertThrows(TaskRefusal.class, () -> registry().lookup("a.B", "0".repeat(64)));
    assertEquals(TaskFailureReason.CODE_NOT_ALLOWED, refusal.reason());
    assertTrue(refusal.getMessage().contains("--allow-code-from-clients"), refusal.getMessage());
  }

  @Test
  void aJarThatDoesNotMatchItsHash_isRefused() {
    TaskRegistry registry = registry();
    registry.allowShippedCode(
        new CodeCache(temp.resolve("cache"), hash -> new byte[] {1, 2, 3}, loader()));
    TaskRefusal refusal =
        assertThrows(TaskRefusal.class, () -> registry.lookup("a.B", "0".repeat(64)));
    assertEquals(TaskFailureReason.CODE_UNAVAILABLE, refusal.reason());
    assertTrue(refusal.getMessage().contains("SHA-256"), refusal.getMessage());
  }

  @Test
  void aShippedTaskLoadsInItsOwnLoader_onceAndThenFromTheCache() throws Throwable {
    byte[] jar = compiledJar();
    String hash = CodeCache.sha256(jar);
    AtomicInteger fetches = new AtomicInteger();
    TaskRegistry registry = registry();
    registry.allowShippedCode(
        new CodeCache(
            temp.resolve("cache"),
            h -> {
              fetches.incrementAndGet();
              return jar;
            },
            loader()));
    TaskType type = registry.lookup("shipped.Echo", hash);
    assertNotSame(loader(), type.taskClass().getClassLoader());
    assertEquals("echo:x", type.newInstance().call("x", null));
    registry.lookup("shipped.Echo", hash);
    assertEquals(1, fetches.get());

    TaskRegistry restarted = registry();
    restarted.allowShippedCode(
        new CodeCache(
            temp.resolve("cache"),
            h -> {
              throw new IllegalStateException("fetched again");
            },
            loader()));
    assertEquals("echo:y", restarted.lookup("shipped.Echo", hash).newInstance().call("y", null));
  }

  private static ClassLoader loader() {
    return ShippedCodeRegistryTest.class.getClassLoader();
  }

  private byte[] compiledJar() throws IOException {
    Path source = temp.resolve("src/shipped/Echo.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        "package shipped;\n"
            + "public class Echo implements dev.colony.client.Task<String, String> {\n"
            + "  public String call(String x, dev.colony.client.TaskContext c) {\n"
            + "    return \"echo:\" + x;\n"
            + "  }\n"
            + "}\n");
    Path classes = temp.resolve("classes");
    Files.createDirectories(classes);
    int status =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                source.toString());
    assertEquals(0, status);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(bytes)) {
      out.putNextEntry(new JarEntry("shipped/Echo.class"));
      out.write(Files.readAllBytes(classes.resolve("shipped/Echo.class")));
    }
    return bytes.toByteArray();
  }
}
