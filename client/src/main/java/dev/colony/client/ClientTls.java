package dev.colony.client;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a client (or worker, or the CLI) talks TLS to a coordinator: which certificates it trusts,
 * and, for a coordinator that requires mutual TLS, its own certificate and key (PEM; the key in
 * PKCS#8, as {@code openssl req -newkey} writes it).
 */
public final class ClientTls {
  private final Path trustedCa;
  private final Path certificateChain;
  private final Path privateKey;

  private ClientTls(Path trustedCa, Path certificateChain, Path privateKey) {
    this.trustedCa = trustedCa;
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
  }

  /** TLS trusting the certificate authorities the JVM trusts (its {@code cacerts}). */
  public static ClientTls systemTrust() {
    return new ClientTls(null, null, null);
  }

  /** TLS trusting only the CA certificate(s) in {@code caPem}, e.g. your own test CA. */
  public static ClientTls trusting(Path caPem) {
    return new ClientTls(Objects.requireNonNull(caPem, "caPem"), null, null);
  }

  /** These settings, presenting {@code certificateChain} and {@code privateKey} (mutual TLS). */
  public ClientTls withClientCertificate(Path certificateChain, Path privateKey) {
    return new ClientTls(
        trustedCa,
        Objects.requireNonNull(certificateChain, "certificateChain"),
        Objects.requireNonNull(privateKey, "privateKey"));
  }

  /**
   * gRPC credentials for these settings.
   *
   * @throws UncheckedIOException naming the file that cannot be read
   */
  public ChannelCredentials credentials() {
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    try {
      if (trustedCa != null) {
        tls.trustManager(trustedCa.toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trusted CA " + trustedCa + ": " + e, e);
    }
    try {
      if (certificateChain != null) {
        tls.keyManager(certificateChain.toFile(), privateKey.toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the client certificate " + certificateChain + " or its key: " + e, e);
    }
    return tls.build();
  }

  @Override
  public String toString() {
    return "ClientTls{trust="
        + (trustedCa == null ? "system" : trustedCa)
        + (certificateChain == null ? "" : ", certificate=" + certificateChain)
        + "}";
  }
}
