package dev.colony.python;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP port that speaks CPython's {@code multiprocessing.managers} protocol, so an unmodified
 * {@code BaseManager}/{@code SyncManager} client uses Colony's shared objects. Each Python
 * connection that serves proxies is a Colony session of its own (opened with the SDK against the
 * coordinator), so what a Python process holds is released when its connection goes, as for any
 * client. Stricter than CPython's own server: the authkey is required, and requests are unpickled
 * as plain data only (see {@link SafeUnpickler}).
 */
public final class PythonFrontDoor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PythonFrontDoor.class);

  /** Default cap on concurrent Python connections; each uses two threads. */
  public static final int DEFAULT_MAX_CONNECTIONS = 256;

  /** A request may be as big as the largest item plus room for its call. */
  static final int MAX_FRAME_BYTES = (1 << 20) + (64 << 10);

  static final int MAX_OPCODES = 300_000;

  private final ColonyOptions clientOptions;
  private final String host;
  private final int requestedPort;
  private final byte[] authkey;
  private final Semaphore connectionPermits;
  private final Set<PyConnection> connections = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> anonymousRefs = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong connectionIds = new AtomicLong();
  private volatile ServerSocket serverSocket;
  private volatile ColonyClient admin;
  private volatile boolean closed;

  /**
   * @param clientOptions how to reach the coordinator (target, token, TLS); each session is opened
   *     with these
   * @param authkey the manager's authkey; required, as the issue of an open manager port is code
   *     execution in CPython and data access here
   */
  public PythonFrontDoor(
      ColonyOptions clientOptions, String host, int port, byte[] authkey, int maxConnections) {
    this.clientOptions = Objects.requireNonNull(clientOptions, "clientOptions");
    this.host = Objects.requireNonNull(host, "host");
    this.requestedPort = port;
    if (authkey == null || authkey.length == 0) {
      throw new IllegalArgumentException(
          "the Python port needs an authkey: give --python-authkey-file with a non-empty key");
    }
    this.authkey = authkey.clone();
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    this.connectionPermits = new Semaphore(maxConnections);
  }

  public PythonFrontDoor start() throws IOException {
    admin = Colony.connect(clientOptions.toBuilder().setClientName("python front door").build());
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), requestedPort), 128);
    } catch (IOException e) {
      socket.close();
      admin.close();
      throw e;
    }
    serverSocket = socket;
    Thread acceptor = new Thread(this::acceptLoop, "colony-python-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    log.info("Python front door listening on {}:{}", host, port());
    return this;
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("Python front door stopped accepting: {}", e.toString());
        }
        return;
      }
      if (!connectionPermits.tryAcquire()) {
        log.warn(
            "refused a Python connection from {}: too many connections",
            socket.getRemoteSocketAddress());
        closeQuietly(socket);
        continue;
      }
      PyConnection connection;
      try {
        connection = new PyConnection(this, socket, connectionIds.incrementAndGet());
      } catch (IOException e) {
        connectionPermits.release();
        closeQuietly(socket);
        continue;
      }
      connections.add(connection);
      Thread thread = new Thread(connection::run, "colony-python-" + connection.id);
      thread.setDaemon(true);
      thread.start();
    }
  }

  void finished(PyConnection connection) {
    if (connections.remove(connection)) {
      connectionPermits.release();
    }
  }

  byte[] authkey() {
    return authkey;
  }

  ColonyClient admin() {
    return admin;
  }

  ColonyClient openSession(String peer) {
    return Colony.connect(clientOptions.toBuilder().setClientName("python " + peer).build());
  }

  String anonymousName() {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return "py." + HexFormat.of().formatHex(bytes);
  }

  void track(String ident) {
    anonymousRefs.put(ident, 1);
  }

  void incref(String ident) {
    anonymousRefs.computeIfPresent(ident, (k, n) -> n + 1);
  }

  void decref(String ident) {
    boolean[] gone = {false};
    anonymousRefs.computeIfPresent(
        ident,
        (k, n) -> {
          gone[0] = n == 1;
          return gone[0] ? null : n - 1;
        });
    if (gone[0]) {
      for (String name : PyObjects.objectNames(ident)) {
        admin.delete(name);
      }
      String lock = PyObjects.conditionLock(ident);
      if (lock != null) {
        decref(lock);
      }
    }
  }

  int anonymousObjects() {
    return anonymousRefs.size();
  }

  String debugInfo() {
    StringBuilder s = new StringBuilder();
    anonymousRefs.forEach(
        (ident, n) -> s.append("  ").append(ident).append(": refcount=").append(n).append('\n'));
    return s.toString();
  }

  @Override
  public void close() {
    closed = true;
    ServerSocket socket = serverSocket;
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
    for (PyConnection connection : connections) {
      connection.close();
    }
    ColonyClient a = admin;
    if (a != null) {
      a.close();
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing left to do with it.
    }
  }

  static boolean isClosedSocket(IOException e) {
    return e instanceof SocketException || PyWire.isEof(e);
  }
}
