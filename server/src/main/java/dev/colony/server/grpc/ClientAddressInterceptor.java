package dev.colony.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Puts the caller's IP address (without its port: one host, many connections) in {@link
 * #CLIENT_ADDRESS}, for the sessions-per-address limit. Empty for transports without one
 * (in-process).
 */
final class ClientAddressInterceptor implements ServerInterceptor {
  static final Context.Key<String> CLIENT_ADDRESS =
      Context.keyWithDefault("colony-client-address", "");

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(
        Context.current().withValue(CLIENT_ADDRESS, inet.getAddress().getHostAddress()),
        call,
        headers,
        next);
  }
}
