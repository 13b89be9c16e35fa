package dev.colony.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peers' harness (shared/peers/run_all.sh) run in this session, so that its figures and
 * Colony's come from the same machine on the same day: absolute figures here move threefold between
 * days, which makes ratios against a stored run mislead.
 *
 * <p>The harness is copied to a folder of its own first: it writes its results, logs and Maven
 * build beside its scripts, and the shared copy may be read-only.
 */
final class PeersHarness {
  /** Longer than run_all.sh's own caps together (14 min of peers plus its build check). */
  static final Duration TIME_CAP = Duration.ofMinutes(25);

  private final Path source;
  private final Path workDir;
  private final boolean quick;
  private final Duration timeCap;

  PeersHarness(Path source, Path workDir, boolean quick, Duration timeCap) {
    this.source = source;
    this.workDir = workDir;
    this.quick = quick;
    this.timeCap = timeCap;
  }

  /**
   * Copies the harness, runs it and returns the folder of its result files. Every line it prints is
   * passed on with a prefix; a harness that fails still returns whatever results it wrote.
   */
  Path run(PrintWriter out) throws IOException, InterruptedException {
    Path copy = workDir.resolve("peers");
    copyHarness(source, copy);
    List<String> command = new ArrayList<>(List.of("bash", "run_all.sh"));
    if (quick) {
      command.add("--quick");
    }
    out.printf(
        "peers: running %s in %s (its own time caps; this run's cap %d min)%n",
        String.join(" ", command), copy, timeCap.toMinutes());
    out.flush();
    Process harness =
        new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true).start();
    Thread echo = new Thread(() -> echo(harness, out), "peers-output");
    echo.setDaemon(true);
    echo.start();
    if (!harness.waitFor(timeCap.toMillis(), TimeUnit.MILLISECONDS)) {
      harness.descendants().forEach(ProcessHandle::destroyForcibly);
      harness.destroyForcibly();
      out.println("peers: the harness ran past " + timeCap.toMinutes() + " min and was stopped");
    } else if (harness.exitValue() != 0) {
      out.println("peers: run_all.sh exited with " + harness.exitValue());
    }
    echo.join(TimeUnit.SECONDS.toMillis(10));
    out.flush();
    return copy.resolve("results");
  }

  private static void echo(Process harness, PrintWriter out) {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(harness.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        synchronized (out) {
          out.println("  peers | " + line);
          out.flush();
        }
      }
    } catch (IOException e) {
      // The harness is gone; its exit code says the rest.
    }
  }

  /** Copies the scripts and sources, not the results or build output of an earlier run. */
  static void copyHarness(Path from, Path to) throws IOException {
    if (!Files.isRegularFile(from.resolve("run_all.sh"))) {
      throw new IOException("no run_all.sh in " + from + ": not the peers' harness");
    }
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Path relative = from.relativize(dir);
            if (relative.equals(Path.of("results")) || relative.endsWith("target")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(relative.toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.COPY_ATTRIBUTES);
            return FileVisitResult.CONTINUE;
          }
        });
    Files.createDirectories(to.resolve("results"));
  }
}
