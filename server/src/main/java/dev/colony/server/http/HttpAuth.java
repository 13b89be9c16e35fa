package dev.colony.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.colony.server.auth.AccessTokens;
import dev.colony.server.auth.Caller;
import dev.colony.server.auth.Role;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may read the dashboard when the coordinator has tokens: a read (or admin) token, sent as
 * {@code Authorization: Bearer <token>} by scripts and Prometheus, or as the password of HTTP basic
 * authentication by a browser, which asks for it once and then sends it with every request of the
 * page (any user name will do).
 */
final class HttpAuth {
  private static final String BEARER = "Bearer ";
  private static final String BASIC = "Basic ";

  private final AccessTokens tokens;

  HttpAuth(AccessTokens tokens) {
    this.tokens = tokens;
  }

  /** Whether the request carries a token that may read. */
  boolean mayRead(HttpExchange exchange) {
    Optional<Caller> caller =
        tokens.authenticate(presentedToken(exchange.getRequestHeaders().getFirst("Authorization")));
    return caller.isPresent() && caller.get().hasAnyRole(Role.READ);
  }

  private static String presentedToken(String header) {
    if (header == null) {
      return null;
    }
    if (header.startsWith(BEARER)) {
      return header.substring(BEARER.length()).strip();
    }
    if (header.startsWith(BASIC)) {
      try {
        String userAndPassword =
            new String(
                Base64.getDecoder().decode(header.substring(BASIC.length()).strip()),
                StandardCharsets.UTF_8);
        int colon = userAndPassword.indexOf(':');
        return colon < 0 ? null : userAndPassword.substring(colon + 1);
      } catch (IllegalArgumentException notBase64) {
        return null;
      }
    }
    return null;
  }
}
