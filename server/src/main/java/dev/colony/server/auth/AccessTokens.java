package dev.colony.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The tokens a coordinator accepts, each with its role. Only SHA-256 digests of the tokens are
 * kept, and a presented token is compared with every one of them in constant time, so neither
 * memory nor timing tells a token.
 *
 * <p>A token file holds one {@code role=token} per line ({@code client}, {@code worker}, {@code
 * read}, {@code admin}; a role may have several tokens, e.g. one per team); blank lines and lines
 * starting with {@code #} are ignored. A file that is a single bare token is one admin token: the
 * one key for everything that Python's {@code authkey} is.
 */
public final class AccessTokens {
  /** Long enough that guessing is hopeless; {@code openssl rand -hex 32} makes 64 characters. */
  static final int MIN_TOKEN_LENGTH = 16;

  private static final int FINGERPRINT_BYTES = 6;

  private record Entry(byte[] digest, Caller caller) {}

  private static final AccessTokens NONE = new AccessTokens(List.of());

  private final List<Entry> entries;

  private AccessTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** No tokens: every caller is {@link Caller#ANONYMOUS} (a coordinator on loopback). */
  public static AccessTokens none() {
    return NONE;
  }

  /**
   * One admin token, e.g. from the {@code COLONY_TOKEN} environment variable.
   *
   * @throws IllegalArgumentException if it is too short or not printable ASCII
   */
  public static AccessTokens adminToken(String token) {
    return new AccessTokens(List.of(entry(Role.ADMIN, checked(token, "COLONY_TOKEN"))));
  }

  /**
   * The tokens of a token file.
   *
   * @throws IllegalArgumentException naming the line that is wrong (never the token on it)
   * @throws UncheckedIOException if the file cannot be read
   */
  public static AccessTokens read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + file + ": " + e, e);
    }
  }

  /** The tokens of a token file's {@code content}; {@code source} names it in errors. */
  static AccessTokens parse(String content, String source) {
    List<String[]> lines = new ArrayList<>();
    String[] raw = content.split("\r?\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i].strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        lines.add(new String[] {String.valueOf(i + 1), line});
      }
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no token");
    }
    if (lines.size() == 1 && !lines.get(0)[1].contains("=")) {
      return new AccessTokens(
          List.of(
              entry(Role.ADMIN, checked(lines.get(0)[1], source + " line " + lines.get(0)[0]))));
    }
    List<Entry> entries = new ArrayList<>();
    for (String[] numbered : lines) {
      String where = source + " line " + numbered[0];
      String line = numbered[1];
      int equals = line.indexOf('=');
      Role role = equals < 0 ? null : Role.fromFileName(line.substring(0, equals).strip());
      if (role == null) {
        throw new IllegalArgumentException(
            where + ": expected role=token with a role of client, worker, read or admin");
      }
      Entry entry = entry(role, checked(line.substring(equals + 1).strip(), where));
      for (Entry other : entries) {
        if (MessageDigest.isEqual(other.digest, entry.digest)) {
          throw new IllegalArgumentException(
              where + ": this token is already on an earlier line; each role needs its own token");
        }
      }
      entries.add(entry);
    }
    return new AccessTokens(entries);
  }

  /** Whether callers must present a token. */
  public boolean isEnabled() {
    return !entries.isEmpty();
  }

  /**
   * The caller {@code presented} identifies: {@link Caller#ANONYMOUS} when no tokens are set, empty
   * when the token is not one of these. Takes the same time whichever token matches.
   */
  public Optional<Caller> authenticate(String presented) {
    if (!isEnabled()) {
      return Optional.of(Caller.ANONYMOUS);
    }
    if (presented == null) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    Caller found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.digest, digest)) {
        found = entry.caller;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * These tokens and one more, for a part of this process that calls the coordinator as a client
   * (the Python front door): made here, held only in memory, never written or shown.
   *
   * @return the tokens, and the new token to call with
   */
  public Minted plusInternalClient() {
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    List<Entry> more = new java.util.ArrayList<>(entries);
    more.add(entry(Role.CLIENT, token));
    return new Minted(new AccessTokens(more), token);
  }

  /** Tokens with an internal client's among them, and that client's token. */
  public record Minted(AccessTokens tokens, String token) {}

  private static Entry entry(Role role, String token) {
    byte[] digest = sha256(token);
    String fingerprint = HexFormat.of().formatHex(digest, 0, FINGERPRINT_BYTES);
    return new Entry(digest, new Caller(role, role.fileName() + ":" + fingerprint));
  }

  private static String checked(String token, String where) {
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          where
              + ": a token must be at least "
              + MIN_TOKEN_LENGTH
              + " characters; make one with `openssl rand -hex 32`");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(
            where + ": a token must be printable ASCII without spaces (it travels in a header)");
      }
    }
    return token;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
