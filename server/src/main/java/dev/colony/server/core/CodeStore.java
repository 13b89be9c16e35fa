package dev.colony.server.core;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.CodeJarSnapshot;
import dev.colony.proto.v1.CodeUploadRequest;
import dev.colony.proto.v1.CodeUploadResponse;
import dev.colony.proto.v1.ErrorReason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Jars shipped by clients, by SHA-256 (lowercase hex). Each is stored once, whoever uploads it, and
 * stays (bounded in all by {@link CoreOptions#maxCodeBytes()}, and counted in the stored bytes that
 * {@code --max-stored-bytes} bounds). Tasks name a jar by hash; workers fetch it by hash.
 */
final class CodeStore {
  /** The largest single jar, whatever the other bounds allow. */
  static final int MAX_JAR_BYTES = 16 << 20;

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final CoreEnv env;
  // Sorted, so a snapshot lists them the same way on every replica.
  private final Map<String, ByteString> jars = new TreeMap<>();
  private long bytes;

  CodeStore(CoreEnv env) {
    this.env = env;
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
      ctx.reply(r -> r.setCodeUpload(CodeUploadResponse.newBuilder().setStored(false)));
      return;
    }
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
    ctx.reply(r -> r.setCodeUpload(CodeUploadResponse.newBuilder().setStored(true)));
  }

  /** Throws FAILED_PRECONDITION unless a task may name {@code hash}. */
  void checkKnown(String hash) {
    if (!jars.containsKey(hash)) {
      throw CoreException.precondition(
          ErrorReason.CODE_NOT_FOUND,
          "the task's code jar "
              + (hash.length() > 80 ? hash.substring(0, 80) + "..." : hash)
              + " was never uploaded to this coordinator; upload it (CodeUpload) before submitting");
    }
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
        (hash, jar) -> out.add(CodeJarSnapshot.newBuilder().setSha256(hash).setJar(jar).build()));
    return out;
  }

  void restore(List<CodeJarSnapshot> snapshot) {
    for (CodeJarSnapshot jar : snapshot) {
      if (jars.containsKey(jar.getSha256())) {
        throw SnapshotReader.invalid("code jar " + jar.getSha256() + " is there twice");
      }
      put(jar.getSha256(), jar.getJar());
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
