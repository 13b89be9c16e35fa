package dev.colony.server;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The coordinator's TLS settings: its certificate chain and private key (PEM; the key in PKCS#8, as
 * {@code openssl req -newkey} writes it), and, for mutual TLS, the CA whose certificates clients
 * must present.
 */
public final class ServerTls {
  private static final Pattern PKCS8_PEM =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private final Path certificateChain;
  private final Path privateKey;
  private final Path clientCa;

  private ServerTls(Path certificateChain, Path privateKey, Path clientCa) {
    this.certificateChain = Objects.requireNonNull(certificateChain, "certificateChain");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.clientCa = clientCa;
  }

  /** TLS with this certificate chain and key; clients need no certificate. */
  public static ServerTls of(Path certificateChain, Path privateKey) {
    return new ServerTls(certificateChain, privateKey, null);
  }

  /** Mutual TLS: only clients with a certificate signed by {@code clientCa} get a connection. */
  public ServerTls requireClientCertificates(Path clientCa) {
    return new ServerTls(certificateChain, privateKey, Objects.requireNonNull(clientCa));
  }

  public boolean isMutual() {
    return clientCa != null;
  }

  /**
   * gRPC credentials for these files.
   *
   * @throws UncheckedIOException naming the file that cannot be read or is not PEM
   */
  ServerCredentials credentials() {
    TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder();
    try {
      tls.keyManager(certificateChain.toFile(), privateKey.toFile());
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(
          new IOException(
              "cannot use the certificate "
                  + certificateChain
                  + " with the key "
                  + privateKey
                  + " (PEM files, the key in PKCS#8): "
                  + e.getMessage(),
              e));
    }
    if (clientCa != null) {
      try {
        tls.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      } catch (IOException | RuntimeException e) {
        throw new UncheckedIOException(
            new IOException(
                "cannot use the client CA " + clientCa + " (a PEM file): " + e.getMessage(), e));
      }
    }
    return tls.build();
  }

  /**
   * The same certificate, key and client CA for the JDK's TLS, which the dashboard speaks (gRPC's
   * Netty reads the PEM files itself).
   *
   * @throws UncheckedIOException naming the file that cannot be read or is not PEM
   */
  SSLContext sslContext() {
    KeyStore keys;
    try {
      keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "coordinator",
          readPkcs8Key(privateKey),
          NO_PASSWORD,
          readCertificates(certificateChain).toArray(Certificate[]::new));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new UncheckedIOException(
          new IOException(
              "cannot use the certificate "
                  + certificateChain
                  + " with the key "
                  + privateKey
                  + " for the dashboard (PEM files, the key in PKCS#8): "
                  + e.getMessage(),
              e));
    }
    try {
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, NO_PASSWORD);
      TrustManagerFactory trustManagers = null;
      if (clientCa != null) {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        int i = 0;
        for (Certificate ca : readCertificates(clientCa)) {
          trusted.setCertificateEntry("client-ca-" + i++, ca);
        }
        trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyManagers.getKeyManagers(),
          trustManagers == null ? null : trustManagers.getTrustManagers(),
          null);
      return context;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new UncheckedIOException(
          new IOException(
              "cannot use the client CA " + clientCa + " (a PEM file): " + e.getMessage(), e));
    }
  }

  private static List<Certificate> readCertificates(Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IOException(file + " holds no certificate");
      }
      return List.copyOf(certificates);
    }
  }

  private static PrivateKey readPkcs8Key(Path file) throws IOException, GeneralSecurityException {
    Matcher pem = PKCS8_PEM.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    if (!pem.find()) {
      throw new IOException(file + " holds no '-----BEGIN PRIVATE KEY-----' (PKCS#8) block");
    }
    PKCS8EncodedKeySpec spec =
        new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1)));
    GeneralSecurityException last = null;
    // PKCS#8 names the algorithm inside; trying each is simpler than parsing its ASN.1 here.
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new IOException(file + " holds a key of an algorithm this JVM cannot read", last);
  }
}
