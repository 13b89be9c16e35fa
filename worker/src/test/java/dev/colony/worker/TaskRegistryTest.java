package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.TaskFailureReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRegistryTest {
  @TempDir Path temp;

  private final TaskRegistry classpath =
      TaskRegistry.create(List.of(), TaskAllowList.of(List.of("regex:.*")));

  @Test
  void lookup_taskOnClasspath_findsItsArgumentType() throws Throwable {
    TaskType type = classpath.lookup(TestTasks.Square.class.getName());

    assertSame(TestTasks.Square.class, type.taskClass());
    assertSame(Integer.class, type.argumentType());
    assertEquals(9, type.newInstance().call(3, null));
  }

  @Test
  void lookup_unknownClass_refusesWithUnknownTaskAndThePlacesLooked() throws IOException {
    Path jar = temp.resolve("tasks.jar");
    writeJar(jar, Map.of());
    TaskRegistry registry = TaskRegistry.create(List.of(jar), TaskAllowList.of(List.of()));

    TaskRefusal refusal = assertThrows(TaskRefusal.class, () -> registry.lookup("com.acme.Nope"));

    assertEquals(TaskFailureReason.UNKNOWN_TASK, refusal.reason());
    assertTrue(refusal.getMessage().contains("com.acme.Nope"), refusal.getMessage());
    assertTrue(refusal.getMessage().contains("classpath"), refusal.getMessage());
    assertTrue(refusal.getMessage().contains(jar.toString()), refusal.getMessage());
  }

  @Test
  void lookup_unknownClassWithoutTaskJars_saysNoneWereGiven() {
    TaskRefusal refusal = assertThrows(TaskRefusal.class, () -> classpath.lookup("com.acme.Nope"));

    assertTrue(refusal.getMessage().contains("no --tasks jars"), refusal.getMessage());
  }

  @Test
  void lookup_notAJavaName_refusesWithUnknownTask() {
    TaskRefusal refusal = assertThrows(TaskRefusal.class, () -> classpath.lookup("../etc/passwd"));

    assertEquals(TaskFailureReason.UNKNOWN_TASK, refusal.reason());
    assertTrue(refusal.getMessage().contains("not a Java class name"), refusal.getMessage());
  }

  @Test
  void lookup_classThatIsNotATask_refusesWithNotATaskWithoutInitializingIt() {
    TaskRefusal refusal =
        assertThrows(TaskRefusal.class, () -> classpath.lookup(TestTasks.NotATask.class.getName()));

    assertEquals(TaskFailureReason.NOT_A_TASK, refusal.reason());
    assertTrue(refusal.getMessage().contains("does not implement"), refusal.getMessage());
    assertFalse(TestTasks.NOT_A_TASK_INITIALIZED.get(), "static initializer ran");
  }

  @Test
  void lookup_jdkClass_refusesWithNotATask() {
    TaskRefusal refusal =
        assertThrows(TaskRefusal.class, () -> classpath.lookup("java.lang.Runtime"));

    assertEquals(TaskFailureReason.NOT_A_TASK, refusal.reason());
  }

  @Test
  void lookup_abstractTask_refusesWithNotATask() {
    TaskRefusal refusal =
        assertThrows(TaskRefusal.class, () -> classpath.lookup(TestTasks.Doubling.class.getName()));

    assertEquals(TaskFailureReason.NOT_A_TASK, refusal.reason());
    assertTrue(refusal.getMessage().contains("abstract"), refusal.getMessage());
  }

  @Test
  void lookup_taskWithoutNoArgConstructor_refusesWithNotATask() {
    TaskRefusal refusal =
        assertThrows(
            TaskRefusal.class,
            () -> classpath.lookup(TestTasks.NoDefaultConstructor.class.getName()));

    assertEquals(TaskFailureReason.NOT_A_TASK, refusal.reason());
    assertTrue(refusal.getMessage().contains("no-arg constructor"), refusal.getMessage());
  }

  @Test
  void lookup_taskInTasksJar_loadsItThroughTheJarLoader() throws Throwable {
    Path jar = temp.resolve("plugins").resolve("shout.jar");
    Files.createDirectories(jar.getParent());
    compileIntoJar(
        "acme.Shout",
        "package acme;\n"
            + "public class Shout implements dev.colony.client.Task<String, String> {\n"
            + "  public String call(String s, dev.colony.client.TaskContext c) {\n"
            + "    return s.toUpperCase();\n"
            + "  }\n"
            + "}\n",
        jar);
    assertThrows(TaskRefusal.class, () -> classpath.lookup("acme.Shout"));

    TaskRegistry registry =
        TaskRegistry.create(List.of(jar.getParent()), TaskAllowList.of(List.of()));
    TaskType type = registry.lookup("acme.Shout");

    assertSame(String.class, type.argumentType());
    assertEquals("HEY", type.newInstance().call("hey", null));
    assertEquals(List.of(jar, jar.getParent()), registry.taskJars());
  }

  @Test
  void create_pathThatIsNeitherJarNorFolder_failsFast() throws IOException {
    Path text = Files.writeString(temp.resolve("notes.txt"), "hi");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TaskRegistry.create(List.of(text), TaskAllowList.of(List.of())));

    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
  }

  private void compileIntoJar(String className, String source, Path jar) throws IOException {
    Path sources = Files.createDirectories(temp.resolve("src"));
    Path classes = Files.createDirectories(temp.resolve("classes"));
    Path file = sources.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
    Files.writeString(file, source);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int status =
        compiler.run(
            null,
            null,
            null,
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            file.toString());
    assertEquals(0, status, "javac failed");
    String entry = className.replace('.', '/') + ".class";
    writeJar(jar, Map.of(entry, Files.readAllBytes(classes.resolve(entry))));
  }

  private static void writeJar(Path jar, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out)) {
      jarOut.putNextEntry(new JarEntry("META-INF/"));
      jarOut.closeEntry();
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        jarOut.putNextEntry(new JarEntry(entry.getKey()));
        jarOut.write(entry.getValue());
        jarOut.closeEntry();
      }
    }
  }
}
