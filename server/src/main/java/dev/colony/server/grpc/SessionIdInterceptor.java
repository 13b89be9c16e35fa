package dev.colony.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Reads the "colony-session-id" metadata header into {@link #SESSION_ID}, so that the service's
 * handlers (and every callback of their call) see which session a call belongs to.
 */
public final class SessionIdInterceptor implements ServerInterceptor {
  /** The header a client sends on Connect and Execute, naming the session from Open. */
  public static final Metadata.Key<String> SESSION_ID_HEADER =
      Metadata.Key.of("colony-session-id", Metadata.ASCII_STRING_MARSHALLER);

  /** The call's session id, or null when the header was not sent. */
  static final Context.Key<String> SESSION_ID = Context.key("colony-session-id");

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String sessionId = headers.get(SESSION_ID_HEADER);
    if (sessionId == null || sessionId.isEmpty()) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(
        Context.current().withValue(SESSION_ID, sessionId), call, headers, next);
  }
}
