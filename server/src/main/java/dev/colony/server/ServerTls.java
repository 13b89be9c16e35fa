package dev.colony.server;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The coordinator's TLS settings: its certificate chain and private key (PEM; the key in PKCS#8, as
 * {@code openssl req -newkey} writes it), and, for mutual TLS, the CA whose certificates clients
 * must present.
 */
public final class ServerTls {
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
}
