package dev.colony.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 (ephemeral port) in front of a coordinator, which injects network
 * faults: thread-per-direction, blocking IO. Point a client at {@link #target()}.
 *
 * <ul>
 *   <li>{@link #setDropProbability}: after forwarding a chunk read from the client side (roughly
 *       one request frame), reset the connection with this probability (seeded, so a run's
 *       decisions come from one reproducible stream; thread timing still varies). The request most
 *       likely reached the coordinator; its reply is lost.
 *   <li>{@link #resetAll()}: reset every current connection now.
 *   <li>{@link #resetWhenServerSends}: reset a connection instead of forwarding the first chunk
 *       from the coordinator that contains the given bytes (a reply in flight is lost).
 *   <li>{@link #blackhole}: forward nothing in either direction for a while, sockets kept open: the
 *       client sees silence, not an error. New connections are accepted but silenced too.
 * </ul>
 *
 * A reset is an RST on both sides ({@code SO_LINGER 0}). {@link #close()} resets what is left and
 * stops every thread.
 */
public final class FaultyProxy implements AutoCloseable {

  private static final int CHUNK = 64 * 1024;

  private final InetSocketAddress upstream;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Random random;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger drops = new AtomicInteger();
  private final AtomicInteger replyResets = new AtomicInteger();
  private final AtomicReference<byte[]> resetMarker = new AtomicReference<>();
  private volatile double dropProbability;

  // Guarded by gate: forwarding is held until this moment (0: not blackholed).
  private final Object gate = new Object();
  private long blackholeUntilNanos;

  private FaultyProxy(InetSocketAddress upstream, long seed) throws IOException {
    this.upstream = upstream;
    this.random = new Random(seed);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    AtomicInteger sequence = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "faulty-proxy-" + sequence.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts a proxy to {@code host:port} whose drop decisions come from {@code seed}. */
  public static FaultyProxy start(String upstreamTarget, long seed) throws IOException {
    int colon = upstreamTarget.lastIndexOf(':');
    InetSocketAddress upstream =
        new InetSocketAddress(
            upstreamTarget.substring(0, colon),
            Integer.parseInt(upstreamTarget.substring(colon + 1)));
    FaultyProxy proxy = new FaultyProxy(upstream, seed);
    proxy.threads.execute(proxy::acceptLoop);
    return proxy;
  }

  /** The {@code host:port} clients connect to instead of the coordinator's. */
  public String target() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The chance (0 to 1) that a chunk from the client is followed by a reset of its connection. */
  public void setDropProbability(double probability) {
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException("probability must be in [0, 1], was " + probability);
    }
    this.dropProbability = probability;
  }

  /** Resets every current connection (both sides) now; returns how many there were. */
  public int resetAll() {
    int count = 0;
    for (Link link : links) {
      if (link.reset()) {
        count++;
      }
    }
    return count;
  }

  /**
   * Arms a one-shot trigger: the first chunk from the coordinator that contains {@code marker} is
   * not forwarded; its connection is reset instead. See {@link #serverSendResets()}.
   */
  public void resetWhenServerSends(byte[] marker) {
    if (marker.length == 0) {
      throw new IllegalArgumentException("empty marker");
    }
    resetMarker.set(marker.clone());
  }

  /**
   * Holds every byte in both directions for {@code duration} from now (sockets stay open), then
   * forwards again; returns at once. A later call replaces the end of the current blackhole.
   */
  public void blackhole(Duration duration) {
    synchronized (gate) {
      blackholeUntilNanos = Math.max(1, System.nanoTime() + duration.toNanos());
      gate.notifyAll();
    }
  }

  /** Ends a blackhole now. */
  public void endBlackhole() {
    synchronized (gate) {
      blackholeUntilNanos = 0;
      gate.notifyAll();
    }
  }

  public boolean isBlackholed() {
    synchronized (gate) {
      return blackholeUntilNanos != 0 && blackholeUntilNanos - System.nanoTime() > 0;
    }
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Connections reset by the drop probability so far. */
  public int drops() {
    return drops.get();
  }

  /** Connections reset by {@link #resetWhenServerSends} so far (0 or 1 per arming). */
  public int serverSendResets() {
    return replyResets.get();
  }

  /** Connections open now. */
  public int openConnections() {
    return links.size();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // Closing is all we wanted.
    }
    endBlackhole();
    resetAll();
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("proxy threads did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed.get()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket coordinator = new Socket();
      try {
        coordinator.connect(upstream, 5_000);
        client.setTcpNoDelay(true);
        coordinator.setTcpNoDelay(true);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(coordinator);
        continue;
      }
      Link link = new Link(client, coordinator);
      links.add(link);
      connections.incrementAndGet();
      if (closed.get()) {
        link.reset();
        return;
      }
      threads.execute(() -> link.pump(client, coordinator, true));
      threads.execute(() -> link.pump(coordinator, client, false));
    }
  }

  /** Waits while a blackhole lasts; false if the proxy closed meanwhile. */
  private boolean awaitForwarding() throws InterruptedException {
    synchronized (gate) {
      while (true) {
        if (closed.get()) {
          return false;
        }
        long left = blackholeUntilNanos == 0 ? 0 : blackholeUntilNanos - System.nanoTime();
        if (left <= 0) {
          blackholeUntilNanos = 0;
          return true;
        }
        TimeUnit.NANOSECONDS.timedWait(gate, left);
      }
    }
  }

  private boolean shouldDrop() {
    double p = dropProbability;
    if (p == 0) {
      return false;
    }
    synchronized (random) {
      return random.nextDouble() < p;
    }
  }

  private boolean takeMarkerIfIn(byte[] buf, int length) {
    byte[] marker = resetMarker.get();
    return marker != null
        && indexOf(buf, length, marker) >= 0
        && resetMarker.compareAndSet(marker, null);
  }

  private static int indexOf(byte[] buf, int length, byte[] marker) {
    outer:
    for (int i = 0; i + marker.length <= length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (buf[i + j] != marker[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing more to do.
    }
  }

  /** One proxied connection: the client's socket and ours to the coordinator. */
  private final class Link {
    private final Socket client;
    private final Socket coordinator;
    private final AtomicBoolean ended = new AtomicBoolean();

    Link(Socket client, Socket coordinator) {
      this.client = client;
      this.coordinator = coordinator;
    }

    /** Copies {@code from} to {@code to} chunk by chunk, applying the faults. */
    void pump(Socket from, Socket to, boolean fromClient) {
      byte[] buf = new byte[CHUNK];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (true) {
          int n = in.read(buf);
          if (n < 0 || !awaitForwarding()) {
            break;
          }
          if (!fromClient && takeMarkerIfIn(buf, n)) {
            replyResets.incrementAndGet();
            reset();
            return;
          }
          out.write(buf, 0, n);
          out.flush();
          if (fromClient && shouldDrop()) {
            drops.incrementAndGet();
            reset();
            return;
          }
        }
      } catch (IOException e) {
        // Reset by us or by a peer (the other pump sees it too), or the proxy is closing.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      end();
    }

    /** An orderly close of both sides (a peer closed, or the proxy stops). */
    private void end() {
      if (ended.compareAndSet(false, true)) {
        closeQuietly(client);
        closeQuietly(coordinator);
        links.remove(this);
      }
    }

    /** An RST to both sides; false if the link had already ended. */
    boolean reset() {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      for (Socket socket : new Socket[] {client, coordinator}) {
        try {
          socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
          // Already closed: close() below is harmless.
        }
        closeQuietly(socket);
      }
      links.remove(this);
      return true;
    }
  }
}
