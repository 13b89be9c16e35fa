package dev.colony.client;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A follower of a replicated coordinator group, as far as a client can tell: on 127.0.0.1, it
 * refuses every call (any method) with UNAVAILABLE, naming the leader in a {@code colony-leader}
 * trailer, or without one while "no leader is known". Shared with the worker's and the CLI's tests
 * (the test-jar).
 */
public final class FakeFollower implements AutoCloseable {
  static final Metadata.Key<String> LEADER =
      Metadata.Key.of("colony-leader", Metadata.ASCII_STRING_MARSHALLER);

  static final Metadata.Key<String> NO_LEADER =
      Metadata.Key.of("colony-no-leader", Metadata.ASCII_STRING_MARSHALLER);

  private final Server server;
  private final String name;
  private final String leader;
  private final boolean cutOff;

  private FakeFollower(String name, String leader, boolean cutOff) {
    this.name = name;
    this.leader = leader;
    this.cutOff = cutOff;
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .fallbackHandlerRegistry(new Refusals())
            .build();
  }

  /** A follower called {@code name} that names {@code leader} (HOST:PORT), or none if null. */
  public static FakeFollower start(String name, String leader) {
    return started(new FakeFollower(name, leader, false));
  }

  /**
   * A member cut off from the rest of its group: it knows of no leader and says so in a {@code
   * colony-no-leader} trailer.
   */
  public static FakeFollower startCutOff(String name) {
    return started(new FakeFollower(name, null, true));
  }

  private static FakeFollower started(FakeFollower follower) {
    try {
      follower.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return follower;
  }

  public int port() {
    return server.getPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  /** What its refusals say. */
  public String description() {
    return leader == null
        ? name + " is not the leader; no leader is known"
        : name + " is not the leader; the leader is n1 at " + leader;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the fake follower " + name + " did not stop in 5 s");
    }
  }

  private final class Refusals extends HandlerRegistry {
    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      MethodDescriptor<InputStream, InputStream> method =
          MethodDescriptor.<InputStream, InputStream>newBuilder()
              .setFullMethodName(methodName)
              .setType(MethodDescriptor.MethodType.UNKNOWN)
              .setRequestMarshaller(Raw.INSTANCE)
              .setResponseMarshaller(Raw.INSTANCE)
              .build();
      return ServerMethodDefinition.create(
          method,
          (call, headers) -> {
            refuse(call);
            return new ServerCall.Listener<>() {};
          });
    }

    private void refuse(ServerCall<InputStream, InputStream> call) {
      Metadata trailers = new Metadata();
      if (leader != null) {
        trailers.put(LEADER, leader);
      }
      if (cutOff) {
        trailers.put(NO_LEADER, name);
      }
      call.close(Status.UNAVAILABLE.withDescription(description()), trailers);
    }
  }

  /** Bytes in, bytes out. */
  public enum Raw implements MethodDescriptor.Marshaller<InputStream> {
    INSTANCE;

    @Override
    public InputStream stream(InputStream value) {
      return value;
    }

    @Override
    public InputStream parse(InputStream stream) {
      return stream;
    }
  }
}
