package dev.colony.server;

/**
 * A coordinator was asked to listen beyond loopback without tokens or mutual TLS: anyone who can
 * reach the port could then use and change every object and run tasks on the workers.
 */
public final class InsecureAddressException extends IllegalStateException {
  public InsecureAddressException(String host) {
    super(
        "refusing to listen on "
            + host
            + " without a token: anyone who reaches it could change every object and run tasks"
            + " on the workers. Give the coordinator tokens (--token-file FILE, or the"
            + " COLONY_TOKEN environment variable; see the README's Security section) or mutual"
            + " TLS (--tls-client-ca), listen on"
            + " 127.0.0.1, or pass --insecure if every host that can reach it is trusted");
  }
}
