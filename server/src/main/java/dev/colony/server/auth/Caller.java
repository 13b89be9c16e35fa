package dev.colony.server.auth;

/**
 * Who is calling, as its token says: a role, and a principal that names the token without revealing
 * it. The principal is what a session belongs to.
 *
 * @param principal "{@code <role>:<fingerprint>}", or empty for {@link #ANONYMOUS}
 */
public record Caller(Role role, String principal) {
  /** Every caller of a coordinator without tokens: it may do everything, as on loopback today. */
  public static final Caller ANONYMOUS = new Caller(Role.ADMIN, "");

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
