package dev.colony.cli;

import dev.colony.client.ColonyOptions;
import dev.colony.server.ColonyServer;
import dev.colony.server.ServerTls;
import dev.colony.server.auth.AccessTokens;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Who may talk to a coordinator and how: its tokens, TLS and handshake deadline (`coordinator`).
 */
final class ServerSecurityOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "The tokens callers must present: one role=token per line, roles client, worker, read"
              + " and admin (a file holding one bare token is an admin token, good for"
              + " everything). Default: the COLONY_TOKEN environment variable as an admin token;"
              + " without either, none is needed (loopback only).")
  Path tokenFile;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "Serve TLS with this certificate chain (PEM); needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert (PEM, PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description =
          "Mutual TLS: accept only clients whose certificate this CA (PEM) signed; needs"
              + " --tls-cert.")
  Path tlsClientCa;

  @Option(
      names = "--handshake-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Close a new connection that has not finished its TLS and HTTP/2 handshake within this"
              + " long, e.g. 5s (default: ${DEFAULT-VALUE}): one that connects and sends nothing"
              + " cannot hold a socket. --max-connection-idle then bounds one that makes no call.")
  Duration handshakeTimeout;

  /**
   * The client token minted for this process's own calls (see {@link #applyTo(ColonyServer.Builder,
   * boolean)}); null without tokens.
   */
  String internalClientToken;

  /** Adds the tokens and TLS to {@code server}; a usage error for files that cannot be used. */
  ColonyServer.Builder applyTo(ColonyServer.Builder server) {
    return applyTo(server, false);
  }

  /**
   * As {@link #applyTo(ColonyServer.Builder)}; with {@code internalClient}, a part of this process
   * that calls the coordinator (the Python front door) gets a client token of its own, made in
   * memory, when the coordinator takes tokens at all.
   */
  ColonyServer.Builder applyTo(ColonyServer.Builder server, boolean internalClient) {
    try {
      AccessTokens tokens = AccessTokens.none();
      if (tokenFile != null) {
        tokens = AccessTokens.read(tokenFile);
      } else {
        String token = System.getenv(ColonyOptions.TOKEN_ENVIRONMENT_VARIABLE);
        if (token != null && !token.isBlank()) {
          tokens = AccessTokens.adminToken(token.strip());
        }
      }
      if (internalClient && tokens.isEnabled()) {
        AccessTokens.Minted minted = tokens.plusInternalClient();
        tokens = minted.tokens();
        internalClientToken = minted.token();
      }
      if (tokens.isEnabled()) {
        server.setAccessTokens(tokens);
      }
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), e.getMessage());
    }
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new ParameterException(
          mixee.commandLine(), "--handshake-timeout must be positive, e.g. 5s or 10s");
    }
    server.setHandshakeTimeout(handshakeTimeout);
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(mixee.commandLine(), "--tls-cert and --tls-key go together");
    }
    if (tlsClientCa != null && tlsCert == null) {
      throw new ParameterException(
          mixee.commandLine(), "--tls-client-ca needs --tls-cert and --tls-key");
    }
    if (tlsCert != null) {
      ServerTls tls = ServerTls.of(tlsCert, tlsKey);
      server.setTls(tlsClientCa == null ? tls : tls.requireClientCertificates(tlsClientCa));
    }
    return server;
  }
}
