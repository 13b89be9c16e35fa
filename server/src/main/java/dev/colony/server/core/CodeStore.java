package dev.colony.server.core;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.CodeJarSnapshot;
import dev.colony.proto.v1.CodeUploadRequest;
import dev.colony.proto.v1.CodeUploadResponse;
import dev.colony.proto.v1.ErrorReason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jars shipped by clients, by SHA-256 (lowercase hex). Each is stored once, whoever uploads it,
 * bounded in all by {@link CoreOptions#maxCodeBytes()} and counted in the stored bytes that {@code
 * --max-stored-bytes} bounds. Tasks name a jar by hash; workers fetch it by hash.
 *
 * <p>A jar that does not fit makes room: the jars no unfinished task names go, the one unused
 * longest first, as a build cache forgets old builds. A client that later names an evicted jar is
 * told CODE_NOT_FOUND, and the SDK uploads it again and resubmits.
 */
final class CodeStore {
  private static final Logger log = LoggerFactory.getLogger(CodeStore.class);

  /** The largest single jar, whatever the other bounds allow. */
  static final int MAX_JAR_BYTES = 16 << 20;

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final CoreEnv env;
  // Sorted, so a snapshot lists them the same way on every replica.
  private final Map<String, ByteString> jars = new TreeMap<>();
  private final Map<String, Long> lastUsed = new HashMap<>();
  private final Supplier<Set<String>> inUse;
  private long uses;
  private long bytes;

  /** {@code inUse}: the hashes unfinished tasks name, which must stay. */
  CodeStore(CoreEnv env, Supplier<Set<String>> inUse) {
    this.env = env;
    this.inUse = inUse;
  }

  /** The largest jar one upload may carry: 16 MiB, less if the message or code bound is lower. */
  long maxJarBytes() {
    long message = env.limits().maxMessageBytes() - (64L << 10);
    return Math.min(Math.min(MAX_JAR_BYTES, message), env.options().maxCodeBytes());
  }

  void upload(CallContext ctx, CodeUploadRequest request) {
    String hash = request.getSha256();
    checkHash(hash);
    ByteString jar = request.getJar();
    if (jar.size() > maxJarBytes()) {
      throw CoreException.exhausted(
          ErrorReason.LIMIT_EXCEEDED,
          "the jar "
              + hash
              + " is "
              + jar.size()
              + " bytes; a shipped jar may have at most "
              + maxJarBytes()
              + " (--max-code-bytes and the message limit bound it)");
    }
    String actual = sha256(jar);
    if (!actual.equals(hash)) {
      throw CoreException.invalid(
          "the jar's SHA-256 is " + actual + ", not " + hash + " as the upload said");
    }
    if (jars.containsKey(hash)) {
      used(hash);
      ctx.reply(r -> r.setCodeUpload(CodeUploadResponse.newBuilder().setStored(false)));
      return;
    }
    makeRoom(jar.size());
    long maxTotal = env.options().maxCodeBytes();
    if (bytes + jar.size() > maxTotal) {
      throw CoreException.exhausted(
          ErrorReason.LIMIT_EXCEEDED,
          "cannot store the jar "
              + hash
              + " ("
              + jar.size()
              + " bytes): shipped jars take "
              + bytes
              + " bytes already (limit "
              + maxTotal
              + ", --max-code-bytes)");
    }
    long stored = Limits.storedSize(jar.size());
    env.checkTotal(
        "the jar " + hash, stored, "take, remove or delete some objects' contents first");
    put(hash, jar);
    used(hash);
    ctx.reply(r -> r.setCodeUpload(CodeUploadResponse.newBuilder().setStored(true)));
  }

  /**
   * Evicts unused jars, the one unused longest first, until {@code size} more bytes fit under both
   * bounds or no unused jar is left (the caller's checks then refuse the upload).
   */
  private void makeRoom(long size) {
    if (fits(size)) {
      return;
    }
    Set<String> needed = inUse.get();
    List<String> unused = new ArrayList<>();
    for (String hash : jars.keySet()) {
      if (!needed.contains(hash)) {
        unused.add(hash);
      }
    }
    unused.sort(Comparator.comparingLong(lastUsed::get));
    for (String hash : unused) {
      if (fits(size)) {
        return;
      }
      ByteString jar = jars.remove(hash);
      lastUsed.remove(hash);
      bytes -= jar.size();
      env.stored(-Limits.storedSize(jar.size()));
      log.info(
          "evicted shipped code jar {} ({} bytes) to make room; no unfinished task names it",
          hash,
          jar.size());
    }
  }

  private boolean fits(long size) {
    return bytes + size <= env.options().maxCodeBytes()
        && env.storedBytes() + Limits.storedSize(size) <= env.limits().maxStoredBytes();
  }

  /** Throws FAILED_PRECONDITION unless a task may name {@code hash}; else counts it as used. */
  void checkKnown(String hash) {
    if (!jars.containsKey(hash)) {
      throw CoreException.precondition(
          ErrorReason.CODE_NOT_FOUND,
          "the task's code jar "
              + (hash.length() > 80 ? hash.substring(0, 80) + "..." : hash)
              + " is not on this coordinator (never uploaded, or evicted to make room for"
              + " others); upload it (CodeUpload) before submitting");
    }
    used(hash);
  }

  private void used(String hash) {
    lastUsed.put(hash, ++uses);
  }

  /** The jar of that hash, or null. */
  ByteString jar(String hash) {
    return jars.get(hash);
  }

  long bytes() {
    return bytes;
  }

  List<CodeJarSnapshot> toSnapshot() {
    List<CodeJarSnapshot> out = new ArrayList<>(jars.size());
    jars.forEach(
        (hash, jar) ->
            out.add(
                CodeJarSnapshot.newBuilder()
                    .setSha256(hash)
                    .setJar(jar)
                    .setLastUsed(lastUsed.get(hash))
                    .build()));
    return out;
  }

  void restore(List<CodeJarSnapshot> snapshot) {
    for (CodeJarSnapshot jar : snapshot) {
      if (jars.containsKey(jar.getSha256())) {
        throw SnapshotReader.invalid("code jar " + jar.getSha256() + " is there twice");
      }
      put(jar.getSha256(), jar.getJar());
      lastUsed.put(jar.getSha256(), jar.getLastUsed());
      uses = Math.max(uses, jar.getLastUsed());
    }
  }

  private void put(String hash, ByteString jar) {
    jars.put(hash, jar);
    bytes += jar.size();
    env.stored(Limits.storedSize(jar.size()));
  }

  static void checkHash(String hash) {
    if (!SHA256_HEX.matcher(hash).matches()) {
      throw CoreException.invalid(
          "a code hash is a SHA-256 in 64 lowercase hex digits, not '"
              + (hash.length() > 80 ? hash.substring(0, 80) + "..." : hash)
              + "'");
    }
  }

  static String sha256(ByteString bytes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes.asReadOnlyByteBuffer());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
