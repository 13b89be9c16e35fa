package dev.colony.python;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code multiprocessing.connection}'s framing (a signed 4-byte big-endian length, or -1 and an
 * 8-byte length) and its HMAC authkey handshake, in the legacy HMAC-MD5 form (Python up to 3.11)
 * and the {@code {sha256}}-prefixed form (3.12+). A length over the limit is refused before
 * anything is allocated for it.
 */
final class PyWire {
  static final byte[] CHALLENGE = ascii("#CHALLENGE#");
  static final byte[] WELCOME = ascii("#WELCOME#");
  static final byte[] FAILURE = ascii("#FAILURE#");
  private static final int HANDSHAKE_LIMIT = 256;
  private static final int LEGACY_MESSAGE_LENGTH = 20;
  private static final int MESSAGE_LENGTH = 40;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataInputStream in;
  private final OutputStream out;

  PyWire(InputStream in, OutputStream out) {
    this.in = new DataInputStream(in);
    this.out = out;
  }

  /** Thrown for a frame the peer may not send: the connection is then closed. */
  static final class ProtocolException extends IOException {
    ProtocolException(String message) {
      super(message);
    }
  }

  /** Thrown when the peer does not prove it holds the authkey. */
  static final class AuthenticationException extends IOException {
    AuthenticationException(String message) {
      super(message);
    }
  }

  byte[] readFrame(int limit) throws IOException {
    int size = in.readInt();
    long length = size;
    if (size == -1) {
      length = in.readLong();
    }
    if (length < 0 || length > limit) {
      throw new ProtocolException(
          "a frame of " + Long.toUnsignedString(length) + " bytes is over the limit of " + limit);
    }
    byte[] frame = new byte[(int) length];
    in.readFully(frame);
    return frame;
  }

  void writeFrame(byte[] frame) throws IOException {
    byte[] header = ByteBuffer.allocate(4).putInt(frame.length).array();
    out.write(header);
    out.write(frame);
    out.flush();
  }

  /** Server side of {@code Listener.accept}: challenge the client, then answer its challenge. */
  void serverHandshake(byte[] authkey) throws IOException {
    deliverChallenge(authkey);
    answerChallenge(authkey);
  }

  private void deliverChallenge(byte[] authkey) throws IOException {
    byte[] random = new byte[MESSAGE_LENGTH];
    RANDOM.nextBytes(random);
    // Clients before 3.12 answer the whole prefixed message with a raw HMAC-MD5; newer ones with
    // {sha256} and an HMAC-SHA256. The MAC covers the prefix, so a client cannot downgrade.
    byte[] message = concat(ascii("{sha256}"), random);
    writeFrame(concat(CHALLENGE, message));
    byte[] response = readFrame(HANDSHAKE_LIMIT);
    if (!verify(authkey, message, response)) {
      writeFrame(FAILURE);
      throw new AuthenticationException("the client's answer to the authkey challenge was wrong");
    }
    writeFrame(WELCOME);
  }

  private void answerChallenge(byte[] authkey) throws IOException {
    byte[] message = readFrame(HANDSHAKE_LIMIT);
    if (!startsWith(message, CHALLENGE)) {
      throw new ProtocolException("expected the client's authkey challenge");
    }
    message = Arrays.copyOfRange(message, CHALLENGE.length, message.length);
    if (message.length < LEGACY_MESSAGE_LENGTH) {
      throw new ProtocolException("the client's challenge is too short");
    }
    String digest = digestName(message);
    byte[] response;
    if (digest.isEmpty()) {
      response = hmac("md5", authkey, message);
    } else {
      response = concat(ascii("{" + digest + "}"), hmac(digest, authkey, message));
    }
    writeFrame(response);
    byte[] verdict = readFrame(HANDSHAKE_LIMIT);
    if (!Arrays.equals(verdict, WELCOME)) {
      throw new AuthenticationException("the client refused our answer to its challenge");
    }
  }

  private static boolean verify(byte[] authkey, byte[] message, byte[] response)
      throws ProtocolException {
    String digest;
    byte[] mac;
    if (response.length == 16 || response.length == 20) {
      digest = "md5";
      mac = response;
    } else {
      digest = digestName(response);
      if (digest.isEmpty()) {
        return false;
      }
      mac = Arrays.copyOfRange(response, digest.length() + 2, response.length);
    }
    byte[] expected = hmac(digest, authkey, message);
    return MessageDigest.isEqual(expected, mac);
  }

  /** The digest a {@code {name}payload} message names; empty for a legacy (unprefixed) one. */
  private static String digestName(byte[] message) throws ProtocolException {
    if (message.length == 16 || message.length == 20) {
      return "";
    }
    if (message.length > 0 && message[0] == '{') {
      for (int i = 1; i < Math.min(message.length, 22); i++) {
        if (message[i] == '}') {
          String name = new String(message, 1, i - 1, StandardCharsets.US_ASCII);
          if (name.equals("md5") || name.equals("sha256") || name.equals("sha384")) {
            return name;
          }
          break;
        }
      }
    }
    throw new ProtocolException("unsupported challenge or digest in the authkey handshake");
  }

  private static byte[] hmac(String digest, byte[] key, byte[] message) {
    String algorithm =
        switch (digest) {
          case "md5" -> "HmacMD5";
          case "sha256" -> "HmacSHA256";
          case "sha384" -> "HmacSHA384";
          default -> throw new IllegalArgumentException(digest);
        };
    try {
      Mac mac = Mac.getInstance(algorithm);
      // An empty key is refused by SecretKeySpec; the front door never starts without one.
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static boolean isEof(IOException e) {
    return e instanceof EOFException;
  }
}
