package dev.colony.it.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import dev.colony.client.ColonyProcess;
import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.ProcessOptions;
import dev.colony.client.RemoteTaskException;
import dev.colony.client.Task;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.proto.v1.TaskFailureReason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code shipped with the job: two clients ship two versions of the same task class at once to a
 * worker JVM that never had it, and each gets its own version's result; a worker without
 * --allow-code-from-clients refuses such a task, naming the flag; an upload over the coordinator's
 * --max-code-bytes is refused.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShippedCodeTest {
  private static final String TASK = "shipped.Greeter";
  private static final long MAX_CODE_BYTES = 64 << 10;

  @TempDir static Path temp;

  private static CoordinatorProcess coordinator;
  private static WorkerProcess worker;
  private static Path classesV1;
  private static Path jarV1;
  private static Path classesV2;

  @BeforeAll
  static void start() throws Exception {
    classesV1 = compile("v1");
    jarV1 = jar(classesV1, temp.resolve("greeter-v1.jar"));
    classesV2 = compile("v2");
    coordinator = CoordinatorProcess.start("--max-code-bytes", String.valueOf(MAX_CODE_BYTES));
    worker =
        WorkerProcess.launch("shipped-worker", coordinator.target(), "--allow-code-from-clients")
            .awaitConnected();
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Test
  void twoClientsShipTwoVersionsOfOneClassAtOnce_eachGetsItsOwn() throws Exception {
    // Version 2's class is loaded here from its folder: setShipTaskCode zips that folder.
    try (URLClassLoader v2 =
            new URLClassLoader(
                new URL[] {classesV2.toUri().toURL()}, ShippedCodeTest.class.getClassLoader());
        ColonyClient one = Colony.connect(coordinator.target());
        ColonyClient two = Colony.connect(coordinator.target())) {
      @SuppressWarnings("unchecked")
      Class<? extends Task<String, String>> greeterV2 =
          (Class<? extends Task<String, String>>) Class.forName(TASK, false, v2);
      ExecutorService both = Executors.newFixedThreadPool(2);
      try (Pool poolOne = one.pool(PoolOptions.newBuilder().setCodeJar(jarV1).build());
          Pool poolTwo = two.pool(PoolOptions.newBuilder().setShipTaskCode(true).build())) {
        Callable<List<String>> first =
            () -> Stream.of("a", "b", "c", "d").map(x -> apply(poolOne, x)).toList();
        Callable<List<String>> second = () -> poolTwo.map(greeterV2, List.of("a", "b", "c", "d"));
        Future<List<String>> resultsOne = both.submit(first);
        Future<List<String>> resultsTwo = both.submit(second);
        assertEquals(List.of("v1:a", "v1:b", "v1:c", "v1:d"), resultsOne.get(90, TimeUnit.SECONDS));
        assertEquals(List.of("v2:a", "v2:b", "v2:c", "v2:d"), resultsTwo.get(90, TimeUnit.SECONDS));
      } finally {
        both.shutdownNow();
      }
      // A process ships its code too.
      ColonyProcess<Object> process =
          one.process(TASK, "p", ProcessOptions.newBuilder().setCodeJar(jarV1).build());
      process.start();
      assertTrue(process.join(60, TimeUnit.SECONDS));
      assertEquals("v1:p", process.result());
    }
  }

  private static String apply(Pool pool, String argument) {
    try {
      return pool.apply(TASK, argument, String.class);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aWorkerWithoutTheFlag_refusesShippedCode_namingTheFlag() throws Exception {
    try (CoordinatorProcess other = CoordinatorProcess.start();
        WorkerProcess plain =
            WorkerProcess.launch("plain-worker", other.target()).awaitConnected();
        ColonyClient client = Colony.connect(other.target());
        Pool pool = client.pool(PoolOptions.newBuilder().setCodeJar(jarV1).build())) {
      RemoteTaskException e =
          assertThrows(RemoteTaskException.class, () -> pool.apply(TASK, "x", String.class));
      assertEquals(TaskFailureReason.CODE_NOT_ALLOWED, e.reason());
      assertTrue(e.remoteMessage().contains("--allow-code-from-clients"), e.remoteMessage());
    }
  }

  @Test
  void anUploadOverTheLimit_isRefusedClearly() throws Exception {
    Path big = temp.resolve("big.jar");
    byte[] noise = new byte[(int) MAX_CODE_BYTES + 1];
    new Random(7).nextBytes(noise);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(big))) {
      out.putNextEntry(new JarEntry("noise.bin"));
      out.write(noise);
    }
    try (ColonyClient client = Colony.connect(coordinator.target());
        Pool pool = client.pool(PoolOptions.newBuilder().setCodeJar(big).build())) {
      ColonyException e =
          assertThrows(ColonyException.class, () -> pool.apply(TASK, "x", String.class));
      assertEquals(ColonyException.Code.RESOURCE_EXHAUSTED, e.code());
      assertTrue(e.getMessage().contains("--max-code-bytes"), e.getMessage());
    }
  }

  /** Compiles version {@code version} of {@link #TASK} into a folder of its own. */
  private static Path compile(String version) throws IOException {
    Path source = temp.resolve("src-" + version).resolve("shipped/Greeter.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        "package shipped;\n"
            + "public class Greeter implements dev.colony.client.Task<String, String> {\n"
            + "  @Override public String call(String x, dev.colony.client.TaskContext c) {\n"
            + "    return \""
            + version
            + ":\" + x;\n"
            + "  }\n"
            + "}\n");
    Path classes = temp.resolve("classes-" + version);
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status =
        javac.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            source.toString());
    assertEquals(0, status, "javac of version " + version);
    return classes;
  }

  private static Path jar(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path each : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(each).toString().replace('\\', '/')));
        Files.copy(each, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
