package dev.colony.cli;

import dev.colony.client.ClientTls;
import dev.colony.client.ColonyOptions;
import dev.colony.server.ColonyServer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --coordinator HOST:PORT} and how to reach it (token, TLS), shared by every command that
 * talks to a coordinator.
 */
final class CoordinatorOption {
  static final String DEFAULT = ColonyServer.DEFAULT_HOST + ":" + ColonyServer.DEFAULT_PORT;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--coordinator",
      paramLabel = "HOST:PORT",
      defaultValue = DEFAULT,
      description = "The coordinator to talk to (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "A file holding the token to send (default: the COLONY_TOKEN environment variable);"
              + " never put a token on the command line, where ps shows it.")
  Path tokenFile;

  @Option(
      names = "--tls",
      description = "Talk TLS, trusting the certificate authorities the JVM trusts.")
  boolean tls;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "Talk TLS, trusting the CA certificate(s) in this PEM file.")
  Path tlsCa;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "With mutual TLS: this client's certificate chain (PEM); needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "With mutual TLS: this client's private key (PEM, PKCS#8).")
  Path tlsKey;

  /** The address given, checked for the HOST:PORT shape. */
  String target() {
    if (!target.matches(".+:\\d{1,5}")) {
      throw new ParameterException(
          mixee.commandLine(), "--coordinator must be HOST:PORT, e.g. " + DEFAULT);
    }
    return target;
  }

  /** How to reach the coordinator: its address, the token and TLS. */
  ColonyOptions connection() {
    return connection(mixee, target(), tokenFile, tls, tlsCa, tlsCert, tlsKey);
  }

  /** Connection settings from the command-line options every client-side command has. */
  static ColonyOptions connection(
      CommandSpec spec,
      String target,
      Path tokenFile,
      boolean tls,
      Path tlsCa,
      Path tlsCert,
      Path tlsKey) {
    ColonyOptions.Builder options = ColonyOptions.newBuilder().setTarget(target);
    try {
      if (tokenFile != null) {
        options.setTokenFile(tokenFile);
      }
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
    }
    ClientTls clientTls = null;
    if (tlsCa != null) {
      clientTls = ClientTls.trusting(tlsCa);
    } else if (tls || tlsCert != null) {
      clientTls = ClientTls.systemTrust();
    }
    if (tlsCert != null) {
      clientTls = clientTls.withClientCertificate(tlsCert, tlsKey);
    }
    return options.setTls(clientTls).build();
  }
}
