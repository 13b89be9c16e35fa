package dev.colony.server.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.server.store.RatisCommandLog.Options;
import dev.colony.server.store.RatisCommandLog.SyncMode;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Not a test: times appends on an in-JVM group of three (run with -Dtest=GroupLatencyProbe). */
class GroupLatencyProbe {
  @TempDir Path dir;
  private final List<RatisCommandLog> logs = new ArrayList<>();

  @AfterEach
  void close() {
    logs.forEach(RatisCommandLog::close);
  }

  static class Nop implements CommandLog.Applier {
    @Override
    public void apply(ByteString batch) {}

    @Override
    public ByteString snapshot() {
      return null;
    }

    @Override
    public void restore(ByteString snapshot) {}
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void probe() throws Exception {
    SyncMode mode = SyncMode.valueOf(System.getProperty("probe.sync", "ALWAYS"));
    int n = Integer.getInteger("probe.nodes", 3);
    List<CommandLog.Member> members = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      members.add(new CommandLog.Member("n" + i, "127.0.0.1:" + freePort()));
    }
    for (int i = 1; i <= n; i++) {
      Options o =
          Options.defaults(dir.resolve("n" + i))
              .withSyncMode(mode)
              .inGroup("n" + i, n == 1 ? List.of() : members);
      if (n == 1) {
        o = o.withPeer("n1", "127.0.0.1:0");
      }
      RatisCommandLog log = new RatisCommandLog(o);
      logs.add(log);
      log.open(new Nop());
    }
    RatisCommandLog leader = null;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (leader == null && System.nanoTime() < until) {
      for (RatisCommandLog l : logs) {
        try {
          l.append(ByteString.copyFromUtf8("x")).get(2, TimeUnit.SECONDS);
          leader = l;
          break;
        } catch (Exception e) {
          // not the leader
        }
      }
      Thread.sleep(100);
    }
    assertTrue(leader != null, "no leader");
    ByteString payload = ByteString.copyFrom(ByteBuffer.allocate(64));
    int count = Integer.getInteger("probe.count", 2000);
    for (int w : new int[] {1, 8, 64}) {
      long[] lat = new long[count];
      long t0 = System.nanoTime();
      List<CompletableFuture<Void>> window = new ArrayList<>();
      long[] starts = new long[count];
      for (int i = 0; i < count; i++) {
        int k = i;
        starts[i] = System.nanoTime();
        CompletableFuture<Void> f =
            leader.append(payload).thenRun(() -> lat[k] = System.nanoTime() - starts[k]);
        window.add(f);
        if (window.size() == w) {
          window.get(0).get(30, TimeUnit.SECONDS);
          window.remove(0);
        }
      }
      CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      long total = System.nanoTime() - t0;
      Arrays.sort(lat);
      System.out.printf(
          "PROBE nodes=%d sync=%s window=%d: %.0f appends/s p50 %.2f ms p99 %.2f ms%n",
          n, mode, w, count * 1e9 / total, lat[count / 2] / 1e6, lat[count * 99 / 100] / 1e6);
    }
  }
}
