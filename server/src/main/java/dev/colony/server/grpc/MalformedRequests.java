package dev.colony.server.grpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves a service with its requests parsed here, so that bytes which are no valid message get
 * INVALID_ARGUMENT. Left to gRPC, the parse failure escapes as an application error and the caller
 * reads UNKNOWN, which says "coordinator bug" for what is the client's mistake. The stream is then
 * ended as if the client had cancelled it, so the handler releases what the stream held.
 */
public final class MalformedRequests {
  private static final MethodDescriptor.Marshaller<InputStream> UNPARSED =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
          return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
          return stream;
        }
      };

  private MalformedRequests() {}

  /** {@code service} with every method's malformed requests answered INVALID_ARGUMENT. */
  public static ServerServiceDefinition answeredInvalidArgument(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> parsedHere = parsedHere(method);
      descriptor.addMethod(parsedHere.getMethodDescriptor());
      methods.add(parsedHere);
    }
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(builder::addMethod);
    return builder.build();
  }

  private static <ReqT, RespT> ServerMethodDefinition<InputStream, RespT> parsedHere(
      ServerMethodDefinition<ReqT, RespT> definition) {
    MethodDescriptor<ReqT, RespT> method = definition.getMethodDescriptor();
    ServerCallHandler<ReqT, RespT> handler = definition.getServerCallHandler();
    return ServerMethodDefinition.create(
        method.toBuilder(UNPARSED, method.getResponseMarshaller()).build(),
        (call, headers) -> {
          TypedCall<ReqT, RespT> typed = new TypedCall<>(call, method);
          return new ParsingListener<>(typed, handler.startCall(typed, headers));
        });
  }

  /** Parses each request; the first malformed one closes the call and cancels the handler. */
  private static final class ParsingListener<ReqT, RespT> extends ServerCall.Listener<InputStream> {
    private final TypedCall<ReqT, RespT> call;
    private final ServerCall.Listener<ReqT> delegate;
    private boolean refused;
    private boolean cancelled;

    ParsingListener(TypedCall<ReqT, RespT> call, ServerCall.Listener<ReqT> delegate) {
      this.call = call;
      this.delegate = delegate;
    }

    @Override
    public void onMessage(InputStream message) {
      if (refused) {
        return;
      }
      ReqT request;
      try {
        request = call.method.parseRequest(message);
      } catch (RuntimeException e) {
        refused = true;
        Throwable reason = e.getCause() != null ? e.getCause() : e;
        call.closeFirst(
            Status.INVALID_ARGUMENT.withDescription(
                "the request is not a valid "
                    + call.method.getFullMethodName()
                    + " request: "
                    + reason.getMessage()));
        onCancel();
        return;
      }
      delegate.onMessage(request);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        delegate.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      if (!cancelled) {
        cancelled = true;
        delegate.onCancel();
      }
    }

    @Override
    public void onComplete() {
      if (!cancelled) {
        delegate.onComplete();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        delegate.onReady();
      }
    }
  }

  /**
   * The call as the handler knows it, typed by its method. Sending and closing are serialized with
   * the refusal of a malformed request (the apply loop answers on its own thread), and whatever the
   * handler sends after that refusal is dropped.
   */
  private static final class TypedCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
    private final ServerCall<InputStream, RespT> call;
    final MethodDescriptor<ReqT, RespT> method;
    private boolean closed;

    TypedCall(ServerCall<InputStream, RespT> call, MethodDescriptor<ReqT, RespT> method) {
      this.call = call;
      this.method = method;
    }

    synchronized void closeFirst(Status status) {
      if (!closed) {
        closed = true;
        call.close(status, new Metadata());
      }
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        call.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(RespT message) {
      if (!closed) {
        call.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        call.close(status, trailers);
      }
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
      return method;
    }
  }
}
