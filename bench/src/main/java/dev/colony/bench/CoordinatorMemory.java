package dev.colony.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap of the coordinator JVM, read with the JDK's {@code jcmd <pid> GC.heap_info} (the admin
 * Status has no memory field). "used" counts garbage too, so a second reading follows a {@code
 * GC.run}: that one is the live heap.
 */
final class CoordinatorMemory {
  /** A heap or generation line: G1's one heap line, or Serial's and Parallel's two. */
  private static final Pattern HEAP_LINE = Pattern.compile("\\stotal \\d+K, used (\\d+)K");

  private static final long JCMD_TIMEOUT_SECONDS = 30;

  private CoordinatorMemory() {}

  /** The two readings in MiB, or empty with the reason in {@code why} when jcmd is missing. */
  static Map<String, Object> sample(long pid, String after) {
    Map<String, Object> sample = new LinkedHashMap<>();
    sample.put("after", after);
    sample.put("how", "jcmd <pid> GC.heap_info; then GC.run and GC.heap_info again (live heap)");
    Optional<Path> jcmd = jcmd();
    if (jcmd.isEmpty()) {
      sample.put("unavailable", "no jcmd next to " + ChildJvm.javaExecutable());
      return sample;
    }
    try {
      sample.put("heap_used_mib", usedMib(run(jcmd.get(), pid, "GC.heap_info")));
      run(jcmd.get(), pid, "GC.run");
      sample.put("heap_used_after_gc_mib", usedMib(run(jcmd.get(), pid, "GC.heap_info")));
    } catch (IOException | RuntimeException e) {
      sample.put("unavailable", "jcmd failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sample.put("unavailable", "interrupted");
    }
    return sample;
  }

  /**
   * Heap used in MiB (0.1 resolution) from GC.heap_info text: the sum of its heap or generation
   * lines ({@code ... total NK, used NK}), Metaspace and class space left out.
   */
  static double usedMib(String heapInfo) {
    long usedKib = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      if (line.contains("Metaspace") || line.contains("class space")) {
        continue;
      }
      Matcher m = HEAP_LINE.matcher(line);
      if (m.find()) {
        usedKib += Long.parseLong(m.group(1));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no heap line in jcmd output: " + heapInfo.strip());
    }
    return Percentiles.round1(usedKib / 1024.0);
  }

  private static Optional<Path> jcmd() {
    Path java = Path.of(ChildJvm.javaExecutable());
    Path jcmd = java.resolveSibling("jcmd");
    return Files.isExecutable(jcmd) ? Optional.of(jcmd) : Optional.empty();
  }

  private static String run(Path jcmd, long pid, String command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = process.getInputStream()) {
      in.transferTo(out);
    }
    if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("jcmd " + command + " did not finish");
    }
    String text = out.toString(StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(
          "jcmd " + command + " exited " + process.exitValue() + ": " + text.strip());
    }
    return text;
  }
}
