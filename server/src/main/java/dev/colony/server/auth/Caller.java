package dev.colony.server.auth;

/**
 * Who is calling, as its token says: a role, and a principal that names the token without revealing
 * it. The principal is what a session and a worker's registration belong to. Without tokens, a
 * client certificate verified by mutual TLS names the caller instead.
 *
 * @param principal "{@code <role>:<fingerprint>}", "{@code cert:<subject>}" for {@link
 *     #ofCertificate}, or empty for {@link #ANONYMOUS}
 */
public record Caller(Role role, String principal) {
  /** Every caller of a coordinator without tokens: it may do everything, as on loopback today. */
  public static final Caller ANONYMOUS = new Caller(Role.ADMIN, "");

  /**
   * A caller that mutual TLS identified by its certificate's subject (RFC 2253, e.g. {@code
   * CN=worker-1}) on a coordinator without tokens. Such a coordinator lets every caller do
   * everything, so the role is admin as for {@link #ANONYMOUS}; the subject only tells callers
   * apart, so that one certificate cannot use another's sessions or worker registration.
   */
  public static Caller ofCertificate(String subject) {
    return new Caller(Role.ADMIN, "cert:" + subject);
  }

  /** Whether this caller's role is one of {@code allowed}; an admin may do everything. */
  public boolean hasAnyRole(Role... allowed) {
    if (role == Role.ADMIN) {
      return true;
    }
    for (Role candidate : allowed) {
      if (candidate == role) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return principal.isEmpty() ? "anonymous" : principal;
  }
}
