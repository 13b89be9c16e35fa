package dev.colony.client.internal;

import com.google.protobuf.ByteString;
import dev.colony.client.ColonyException;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CodeUploadRequest;
import dev.colony.proto.v1.ErrorReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Ships task code: reads a jar (or zips a folder of classes, in a fixed order with fixed times, so
 * the same classes give the same hash), uploads it to the coordinator once per SHA-256 for this
 * client, and gives the hash that task specs carry.
 */
final class CodeShipper {
  /** A jar read from a file, kept while the file's size and modification time stay the same. */
  private record Read(long size, FileTime modified, String sha256, ByteString bytes) {}

  private static final FileTime ZIP_TIME = FileTime.fromMillis(315_532_800_000L); // 1980-01-01

  private final Calls calls;
  private final Map<Path, Read> read = new ConcurrentHashMap<>();
  private final Set<String> uploaded = ConcurrentHashMap.newKeySet();
  // Where each shipped hash was read from, to upload it again to a coordinator that lost it.
  private final Map<String, Path> sources = new ConcurrentHashMap<>();

  CodeShipper(Calls calls) {
    this.calls = calls;
  }

  /**
   * The hash of the code to ship for {@code task} under these options (uploaded by now), or "" for
   * none.
   *
   * @throws ColonyException the upload's failure (too large, over --max-code-bytes)
   * @throws IllegalArgumentException when the jar cannot be read or the task's code not found
   */
  String ship(Path codeJar, boolean shipTaskCode, Class<?> task) {
    Path path = codeJar;
    if (path == null && shipTaskCode && task != null) {
      path = locationOf(task);
    }
    if (path == null) {
      return "";
    }
    Read jar = read(path);
    sources.put(jar.sha256(), path);
    upload(path, jar);
    return jar.sha256();
  }

  /**
   * Uploads {@code sha256} again, read from where it came from: the coordinator lost it (its state
   * was reset). False when this client never shipped it or its file changed since.
   */
  boolean reupload(String sha256) {
    Path path = sources.get(sha256);
    if (path == null) {
      return false;
    }
    uploaded.remove(sha256);
    Read jar = read(path);
    if (!jar.sha256().equals(sha256)) {
      return false;
    }
    upload(path, jar);
    return true;
  }

  private void upload(Path path, Read jar) {
    if (!uploaded.contains(jar.sha256())) {
      try {
        calls.run(
            Call.newBuilder()
                .setCodeUpload(
                    CodeUploadRequest.newBuilder().setSha256(jar.sha256()).setJar(jar.bytes())));
      } catch (ColonyException e) {
        if (e.reason() != ErrorReason.PAYLOAD_TOO_LARGE) {
          throw e;
        }
        throw new ColonyException(
            e.code(),
            e.reason(),
            "cannot ship "
                + path
                + " ("
                + jar.bytes().size()
                + " bytes): a shipped jar must fit in one message to the coordinator; "
                + e.getMessage(),
            e);
      }
      uploaded.add(jar.sha256());
    }
  }

  static Path locationOf(Class<?> task) {
    CodeSource source = task.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      throw new IllegalArgumentException(
          "cannot ship the code of "
              + task.getName()
              + ": its class loader names no jar or folder it came from; use setCodeJar");
    }
    try {
      return Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot ship the code of " + task.getName() + " from " + source.getLocation(), e);
    }
  }

  private Read read(Path path) {
    try {
      Path real = path.toAbsolutePath().normalize();
      boolean folder = Files.isDirectory(real);
      long size = folder ? -1 : Files.size(real);
      FileTime modified = folder ? null : Files.getLastModifiedTime(real);
      Read known = read.get(real);
      if (known != null && !folder && known.size() == size && known.modified().equals(modified)) {
        return known;
      }
      byte[] bytes = folder ? zip(real) : Files.readAllBytes(real);
      Read fresh = new Read(size, modified, sha256(bytes), ByteString.copyFrom(bytes));
      if (!folder) {
        read.put(real, fresh);
      }
      return fresh;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the code to ship from " + path, e);
    }
  }

  /** A folder of classes as a jar: entries in sorted order, each with the same time. */
  static byte[] zip(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out)) {
      for (Path file : files) {
        String name = folder.relativize(file).toString().replace('\\', '/');
        JarEntry entry = new JarEntry(name);
        entry.setLastModifiedTime(ZIP_TIME);
        jar.putNextEntry(entry);
        Files.copy(file, jar);
        jar.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new ColonyException(
          ColonyException.Code.INTERNAL, ErrorReason.ERROR_REASON_UNSPECIFIED, "no SHA-256", e);
    }
  }
}
