package dev.colony.server.grpc;

import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.SessionServiceGrpc;
import dev.colony.proto.v1.WorkerServiceGrpc;
import dev.colony.server.auth.AccessTokens;
import dev.colony.server.auth.Caller;
import dev.colony.server.auth.Role;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates every call by its {@code authorization: Bearer <token>} header and checks that the
 * token's role may call the method, before any handler runs: a refused call changes nothing. The
 * caller is then in {@link #CALLER} for the handlers. Health checks need no token, so load
 * balancers and orchestrators can probe a coordinator; they tell nothing but "serving".
 *
 * <p>Without tokens, a client certificate that mutual TLS verified names the caller ({@link
 * Caller#ofCertificate}); its role stays admin, as for every caller of such a coordinator.
 */
public final class AuthInterceptor implements ServerInterceptor {
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The authenticated caller of the current call; anonymous when the server has no tokens. */
  static final Context.Key<Caller> CALLER =
      Context.keyWithDefault("colony-caller", Caller.ANONYMOUS);

  private static final String BEARER = "Bearer ";

  private final AccessTokens tokens;

  public AuthInterceptor(AccessTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String service = call.getMethodDescriptor().getServiceName();
    if (HealthGrpc.SERVICE_NAME.equals(service)) {
      return next.startCall(call, headers);
    }
    String header = headers.get(AUTHORIZATION);
    String presented =
        header != null && header.startsWith(BEARER) ? header.substring(BEARER.length()) : null;
    Optional<Caller> caller =
        tokens.isEnabled()
            ? tokens.authenticate(presented)
            : Optional.of(
                certificateCaller(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
    if (caller.isEmpty()) {
      return refuse(
          call,
          Status.UNAUTHENTICATED.withDescription(
              presented == null
                  ? "this coordinator needs a token: give the client --token-file FILE or set"
                      + " COLONY_TOKEN (SDK: ColonyOptions.setToken)"
                  : "the token was not accepted by this coordinator"));
    }
    Role[] allowed =
        AdminServiceGrpc.getChangeMembersMethod()
                .getFullMethodName()
                .equals(call.getMethodDescriptor().getFullMethodName())
            ? new Role[] {Role.ADMIN}
            : rolesFor(service);
    if (!caller.get().hasAnyRole(allowed)) {
      return refuse(
          call,
          Status.PERMISSION_DENIED.withDescription(
              "a "
                  + caller.get().role().fileName()
                  + " token may not call "
                  + call.getMethodDescriptor().getFullMethodName()
                  + "; that needs a token of role "
                  + String.join(" or ", Arrays.stream(allowed).map(Role::fileName).toList())));
    }
    return Contexts.interceptCall(
        Context.current().withValue(CALLER, caller.get()), call, headers, next);
  }

  /**
   * The caller a verified client certificate names, or {@link Caller#ANONYMOUS} without one. The
   * TLS handshake has verified it against --tls-client-ca already; a plain TLS connection has none.
   */
  static Caller certificateCaller(SSLSession tls) {
    if (tls == null) {
      return Caller.ANONYMOUS;
    }
    try {
      Certificate[] chain = tls.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
        return Caller.ofCertificate(leaf.getSubjectX500Principal().getName());
      }
    } catch (SSLPeerUnverifiedException noClientCertificate) {
      // Plain TLS: the client is anonymous, as on plaintext.
    }
    return Caller.ANONYMOUS;
  }

  /** Who may call a service; anything not listed (reflection, future services) is for admins. */
  static Role[] rolesFor(String service) {
    if (SessionServiceGrpc.SERVICE_NAME.equals(service)) {
      return new Role[] {Role.CLIENT, Role.WORKER};
    }
    if (WorkerServiceGrpc.SERVICE_NAME.equals(service)) {
      return new Role[] {Role.WORKER};
    }
    if (AdminServiceGrpc.SERVICE_NAME.equals(service)) {
      // A client may see the status of the objects it can use anyway (the CLI's reads look there
      // first); a worker, which runs other people's code, may not.
      return new Role[] {Role.READ, Role.CLIENT};
    }
    if (service.startsWith("grpc.reflection.")) {
      // The schema is no secret; grpcurl with any token can list what it may call.
      return Role.values();
    }
    return new Role[] {Role.ADMIN};
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(
      ServerCall<ReqT, RespT> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
