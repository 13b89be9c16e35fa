package dev.colony.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.it.support.CoordinatorProcess;
import dev.colony.it.support.JavaProcess;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The task-project template ({@code examples/task-template}) works as the README walks it. Its
 * Maven build needs the Colony artifacts installed in the local repository, which this build does
 * not do; so this test does what {@code mvn package} there does with this reactor's classes: it
 * compiles the template's sources with javac against this module's class path, runs the template's
 * own test (a coordinator and a worker in one JVM), packs the task classes in a jar, and then runs
 * {@code colony worker --tasks JAR} and {@code colony submit} against a real coordinator JVM.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TaskTemplateTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path TEMPLATE = ROOT.resolve("examples/task-template");
  private static final Duration LINE = Duration.ofSeconds(60);
  private static final Pattern CONNECTED = Pattern.compile("Colony worker \\S+ connected to ");

  @Test
  void templatePom_isWellFormedAndDependsOnThisVersionOfColony() throws Exception {
    Matcher parent =
        Pattern.compile("<artifactId>colony-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertTrue(parent.find());
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(TEMPLATE.resolve("pom.xml").toFile());
    assertEquals(
        parent.group(1),
        pom.getElementsByTagName("colony.version").item(0).getTextContent(),
        "examples/task-template/pom.xml must depend on this version of Colony");
  }

  @Test
  void template_buildsTestsAndRunsOnAWorkerFromTheShell(@TempDir Path dir) throws Exception {
    String classPath = System.getProperty("java.class.path");
    Path classes = compile(TEMPLATE.resolve("src/main/java"), dir.resolve("classes"), classPath);
    Path testClasses =
        compile(
            TEMPLATE.resolve("src/test/java"),
            dir.resolve("test-classes"),
            classPath + File.pathSeparator + classes);

    // The template's test, in a JVM whose class path has the template's classes (the in-JVM
    // worker loads tasks from the application class path).
    Process test =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                String.join(
                    File.pathSeparator, classPath, classes.toString(), testClasses.toString()),
                RunTests.class.getName(),
                "com.example.tasks.WordCountTest")
            .redirectErrorStream(true)
            .redirectOutput(JavaProcess.logDirectory().resolve("task-template-test.log").toFile())
            .start();
    try {
      assertTrue(test.waitFor(120, TimeUnit.SECONDS), "the template's test did not finish");
    } finally {
      test.destroyForcibly();
    }
    assertEquals(0, test.exitValue(), "the template's test failed: see target/it-logs");

    Path jar = jar(classes, dir.resolve("colony-tasks-1.0-SNAPSHOT.jar"));
    try (CoordinatorProcess coordinator = CoordinatorProcess.start();
        JavaProcess worker =
            JavaProcess.start(
                "template-worker",
                "dev.colony.cli.ColonyCommand",
                List.of(
                    "worker",
                    "--coordinator",
                    coordinator.target(),
                    "--slots",
                    "1",
                    "--tasks",
                    jar.toString()))) {
      worker.awaitLine(l -> CONNECTED.matcher(l).find(), LINE);
      try (JavaProcess submit =
          JavaProcess.start(
              "template-submit",
              "dev.colony.cli.ColonyCommand",
              List.of(
                  "submit",
                  "--coordinator",
                  coordinator.target(),
                  "com.example.tasks.WordCount",
                  "to be or not to be"))) {
        assertEquals(0, submit.waitFor(LINE), "exit code of colony submit");
        assertEquals(List.of("6"), submit.lines());
      }
    }
  }

  private static Path compile(Path sources, Path out, String classPath) throws IOException {
    Files.createDirectories(out);
    List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", classPath));
    args.add("--release");
    args.add("17");
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "javac " + sources);
    return out;
  }

  private static Path jar(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        try (OutputStream entry = new NonClosing(out)) {
          Files.copy(file, entry);
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Lets {@code Files.copy} write one entry without closing the jar. */
  private static final class NonClosing extends OutputStream {
    private final OutputStream out;

    NonClosing(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() {}
  }

  /**
   * Runs the {@code @Test} methods of one class, as surefire would for the template (no parameters
   * or extensions); exits 1 at the first failure.
   */
  static final class RunTests {
    public static void main(String[] args) throws Exception {
      Class<?> type = Class.forName(args[0]);
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      int ran = 0;
      for (Method method : type.getDeclaredMethods()) {
        if (method.isAnnotationPresent(Test.class)) {
          method.setAccessible(true);
          method.invoke(constructor.newInstance());
          System.out.println("passed " + method.getName());
          ran++;
        }
      }
      System.exit(ran > 0 ? 0 : 1);
    }
  }
}
