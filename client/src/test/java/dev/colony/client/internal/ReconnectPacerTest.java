package dev.colony.client.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ReconnectPacerTest {

  /** Runs each task after a tenth of its delay and records the delay it was asked for. */
  private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
    final List<Long> delays = new ArrayList<>();

    RecordingScheduler() {
      super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
      delays.add(unit.toMillis(delay));
      return super.schedule(task, delay / 10, unit);
    }

    synchronized List<Long> delays() {
      return List.copyOf(delays);
    }
  }

  @Test
  void failedConnects_areRetriedAfter100msDoublingTo1s_andFromTheStartOnceConnected()
      throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    RecordingScheduler scheduler = new RecordingScheduler();
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
            .build();
    Server server = null;
    try {
      ReconnectPacer.pace(channel, scheduler);
      channel.getState(true); // connect now: nothing listens yet
      awaitDelays(scheduler, 6, "six failed connection attempts to a closed port");
      assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L), scheduler.delays().subList(0, 6));

      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).build().start();
      await()
          .atMost(Duration.ofSeconds(30))
          .alias("the channel connects once the port is open")
          .until(() -> channel.getState(false) == ConnectivityState.READY);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(30))
          .alias("the channel sees the server go")
          .until(() -> channel.getState(false) != ConnectivityState.READY);
      int before = scheduler.delays().size();
      channel.getState(true); // what the next call does: connect, and fail
      awaitDelays(scheduler, before + 1, "a failed attempt after the server went away");
      assertEquals(100L, scheduler.delays().get(before), "connected once: the pace starts over");
    } finally {
      channel.shutdownNow();
      if (server != null) {
        server.shutdownNow();
      }
      scheduler.shutdownNow();
    }
  }

  private static void awaitDelays(RecordingScheduler scheduler, int count, String what) {
    await()
        .atMost(Duration.ofSeconds(30))
        .alias(what)
        .until(() -> scheduler.delays().size() >= count);
  }
}
