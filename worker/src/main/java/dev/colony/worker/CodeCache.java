package dev.colony.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Jars shipped by clients, on this worker: fetched from the coordinator by SHA-256, checked, cached
 * on disk (in the worker's code cache folder) and opened in one class loader per jar whose parent
 * is the worker's own loader, so Colony's API classes are shared and two versions of a task class
 * live side by side. At most {@link #MAX_LOADERS} jars are open at once; the least recently used
 * one is dropped from the cache (its tasks still running keep it alive).
 */
final class CodeCache {
  static final int MAX_LOADERS = 64;
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final Path folder;
  private final Function<String, byte[]> fetch;
  private final ClassLoader parent;
  private final Map<String, URLClassLoader> loaders =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, URLClassLoader> eldest) {
          return size() > MAX_LOADERS;
        }
      };

  /**
   * @param folder where jars are kept, named by hash
   * @param fetch the jar of a hash from the coordinator
   */
  CodeCache(Path folder, Function<String, byte[]> fetch, ClassLoader parent) {
    this.folder = folder;
    this.fetch = fetch;
    this.parent = parent;
  }

  /**
   * The class loader of the shipped jar {@code sha256}, fetching it first if this worker does not
   * have it.
   *
   * @throws TaskRefusal CODE_UNAVAILABLE when it cannot be fetched, does not match its hash, or
   *     cannot be stored
   */
  synchronized ClassLoader loader(String sha256) throws TaskRefusal {
    URLClassLoader known = loaders.get(sha256);
    if (known != null) {
      return known;
    }
    if (!SHA256_HEX.matcher(sha256).matches()) {
      throw TaskRefusal.codeUnavailable("'" + sha256 + "' is not a SHA-256 in hex", null);
    }
    Path jar = folder.resolve(sha256 + ".jar");
    try {
      if (!Files.isRegularFile(jar) || !sha256(Files.readAllBytes(jar)).equals(sha256)) {
        byte[] bytes;
        try {
          bytes = fetch.apply(sha256);
        } catch (RuntimeException e) {
          throw TaskRefusal.codeUnavailable(
              "could not fetch the shipped jar " + sha256 + " from the coordinator: " + e, e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
          throw TaskRefusal.codeUnavailable(
              "the shipped jar fetched for " + sha256 + " has SHA-256 " + actual + "; refused",
              null);
        }
        Files.createDirectories(folder);
        Path partial = Files.createTempFile(folder, sha256, ".part");
        Files.write(partial, bytes);
        Files.move(
            partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw TaskRefusal.codeUnavailable("cannot keep the shipped jar in " + folder + ": " + e, e);
    }
    URLClassLoader loader;
    try {
      loader =
          new URLClassLoader(
              "colony-code-" + sha256.substring(0, 12), new URL[] {jar.toUri().toURL()}, parent);
    } catch (MalformedURLException e) {
      throw TaskRefusal.codeUnavailable("cannot open " + jar + ": " + e, e);
    }
    loaders.put(sha256, loader);
    return loader;
  }

  /** Deletes the cached jars (the worker's own temporary cache folder, at shutdown). */
  void deleteFolder() {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
