package dev.colony.python;

import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import net.razorvine.pickle.Pickler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Python connection, as CPython's {@code Server.handle_request} and {@code serve_client} serve
 * it: first manager requests ({@code dummy}, {@code create}, {@code incref}...), and after {@code
 * accept_connection} method calls on objects, each answered in order on this connection's thread,
 * which is the owner of the locks it takes. While a call blocks, a reader thread watches the
 * socket, so a client that goes away ends its session and with it the blocked call and what the
 * session held.
 */
final class PyConnection {
  private static final Logger log = LoggerFactory.getLogger(PyConnection.class);
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
  private static final Object EOF = new Object();

  final long id;
  private final PythonFrontDoor door;
  private final Socket socket;
  private final PyWire wire;
  private final String peer;
  private volatile ColonyClient session;
  private volatile boolean closed;

  PyConnection(PythonFrontDoor door, Socket socket, long id) throws IOException {
    this.door = door;
    this.socket = socket;
    this.id = id;
    this.peer = String.valueOf(socket.getRemoteSocketAddress());
    socket.setTcpNoDelay(true);
    this.wire =
        new PyWire(
            new BufferedInputStream(socket.getInputStream()),
            new BufferedOutputStream(socket.getOutputStream()));
  }

  void run() {
    try {
      socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
      wire.serverHandshake(door.authkey());
      socket.setSoTimeout(0);
      serveManagerRequests();
    } catch (PyWire.AuthenticationException e) {
      log.warn("Python client {} refused: {}", peer, e.getMessage());
    } catch (PyWire.ProtocolException | SafeUnpickler.RefusedPickleException e) {
      log.warn("Python client {} refused and disconnected: {}", peer, e.getMessage());
      replyQuietly(new Object[] {"#TRACEBACK", "Colony refused the request: " + e.getMessage()});
    } catch (IOException e) {
      if (!closed && !PythonFrontDoor.isClosedSocket(e)) {
        log.debug("Python connection {} ended: {}", peer, e.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Python connection {} failed", peer, e);
    } finally {
      close();
      door.finished(this);
    }
  }

  private Object[] readRequest() throws IOException {
    Object request =
        SafeUnpickler.load(
            wire.readFrame(PythonFrontDoor.MAX_FRAME_BYTES), PythonFrontDoor.MAX_OPCODES);
    return request(request);
  }

  private static Object[] request(Object request) throws SafeUnpickler.RefusedPickleException {
    if (request instanceof Object[] r
        && r.length == 4
        && r[1] instanceof String
        && r[2] instanceof Object[]
        && r[3] instanceof Map) {
      return r;
    }
    throw new SafeUnpickler.RefusedPickleException(
        "a request is the tuple (ident, methodname, args, kwds)");
  }

  private void serveManagerRequests() throws IOException, InterruptedException {
    while (true) {
      Object[] request = readRequest();
      String function = (String) request[1];
      Object[] args = (Object[]) request[2];
      @SuppressWarnings("unchecked")
      Map<String, Object> kwds = (Map<String, Object>) request[3];
      Object result;
      try {
        result = manage(function, args, kwds);
      } catch (PyRaise e) {
        // #ERROR, not CPython's #TRACEBACK: the client raises the exception itself (ValueError,
        // TypeError...), as the same call would raise locally, rather than a RemoteError.
        reply(new Object[] {"#ERROR", e});
        continue;
      } catch (ColonyException e) {
        reply(new Object[] {"#ERROR", fromColony(e)});
        continue;
      } catch (IllegalArgumentException e) {
        reply(new Object[] {"#ERROR", PyRaise.valueError(String.valueOf(e.getMessage()))});
        continue;
      }
      reply(new Object[] {"#RETURN", result});
      if (function.equals("accept_connection")) {
        serveProxies();
        return;
      }
    }
  }

  private Object manage(String function, Object[] args, Map<String, Object> kwds) {
    switch (function) {
      case "dummy", "accept_connection" -> {
        return null;
      }
      case "create" -> {
        if (args.length < 1 || !(args[0] instanceof String typeid)) {
          throw PyRaise.typeError("create() needs a type id");
        }
        Object[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        PyObjects.Created created =
            PyObjects.create(door.admin(), typeid, rest, kwds, door.anonymousName());
        if (created.anonymous()) {
          door.track(created.ident());
        }
        if (created.keepsAlive() != null) {
          door.incref(created.keepsAlive());
        }
        return new Object[] {created.ident(), created.exposed().toArray()};
      }
      case "incref" -> {
        door.incref(identArgument(args));
        return null;
      }
      case "decref" -> {
        door.decref(identArgument(args));
        return null;
      }
      case "number_of_objects" -> {
        return (long) door.anonymousObjects();
      }
      case "debug_info" -> {
        return door.debugInfo();
      }
      case "shutdown" ->
          throw PyRaise.runtimeError(
              "shutdown refused: a Colony coordinator is stopped by its operator, not by a client");
      default -> throw PyRaise.builtin("AttributeError", "unknown manager request " + function);
    }
  }

  private static String identArgument(Object[] args) {
    if (args.length != 1 || !(args[0] instanceof String ident)) {
      throw PyRaise.typeError("expected one ident");
    }
    return ident;
  }

  private void serveProxies() throws IOException, InterruptedException {
    BlockingQueue<Object> requests = new ArrayBlockingQueue<>(4);
    Thread reader =
        new Thread(
            () -> {
              try {
                while (!closed) {
                  // A synchronous client sends the next request only after our reply, so this
                  // waits here, and sees EOF as soon as the client goes away mid-call.
                  requests.put(readRequest());
                }
              } catch (IOException | RuntimeException e) {
                requests.offer(e);
              } catch (InterruptedException e) {
                // Closing.
              } finally {
                // Ending the session first cancels a call the executor is blocked in and
                // releases what this client held, at once rather than when the lease runs out.
                closed = true;
                endSession();
                requests.offer(EOF);
              }
            },
            "colony-python-" + id + "-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      while (true) {
        Object next = requests.take();
        if (next == EOF) {
          return;
        }
        if (next instanceof IOException e) {
          throw e;
        }
        if (next instanceof RuntimeException e) {
          throw e;
        }
        reply(serve((Object[]) next));
      }
    } finally {
      // The reader ends when run() closes the socket; interrupting it could cut short its
      // closing of the session.
    }
  }

  private Object[] serve(Object[] request) throws InterruptedException {
    if (!(request[0] instanceof String ident)) {
      return new Object[] {"#TRACEBACK", "KeyError: the ident must be a str"};
    }
    String method = (String) request[1];
    @SuppressWarnings("unchecked")
    Map<String, Object> kwds = (Map<String, Object>) request[3];
    try {
      if (method.equals("__str__") || method.equals("__repr__")) {
        return new Object[] {"#RETURN", "<Colony " + ident + ">"};
      }
      Object result =
          PyObjects.call(
              session(), ident, method, new PyObjects.Args(method, (Object[]) request[2], kwds));
      return new Object[] {"#RETURN", result};
    } catch (PyRaise e) {
      return new Object[] {"#ERROR", e};
    } catch (ColonyException e) {
      if (closed) {
        throw new InterruptedException("connection closed");
      }
      return new Object[] {"#ERROR", fromColony(e)};
    } catch (IllegalArgumentException e) {
      return new Object[] {"#ERROR", PyRaise.valueError(String.valueOf(e.getMessage()))};
    } catch (NullPointerException | ClassCastException e) {
      return new Object[] {"#ERROR", PyRaise.typeError(String.valueOf(e.getMessage()))};
    }
  }

  private static PyRaise fromColony(ColonyException e) {
    String message = e.getMessage();
    return switch (e.code()) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> PyRaise.valueError(message);
      case DEADLINE_EXCEEDED -> PyRaise.builtin("TimeoutError", message);
      case RESOURCE_EXHAUSTED -> PyRaise.builtin("MemoryError", message);
      case PERMISSION_DENIED, UNAUTHENTICATED -> PyRaise.builtin("PermissionError", message);
      default -> PyRaise.runtimeError(message);
    };
  }

  private ColonyClient session() {
    ColonyClient s = session;
    if (s == null) {
      s = door.openSession(peer);
      session = s;
      if (closed) {
        s.close();
      }
    }
    return s;
  }

  private void reply(Object[] message) throws IOException {
    byte[] bytes;
    try {
      bytes = new Pickler(false).dumps(message);
    } catch (RuntimeException e) {
      bytes = new Pickler(false).dumps(new Object[] {"#UNSERIALIZABLE", e.toString()});
    }
    wire.writeFrame(bytes);
  }

  private void replyQuietly(Object[] message) {
    try {
      reply(message);
    } catch (IOException e) {
      // The connection is being closed anyway.
    }
  }

  private void endSession() {
    ColonyClient s = session;
    if (s != null) {
      s.close();
    }
  }

  void close() {
    closed = true;
    PythonFrontDoor.closeQuietly(socket);
    endSession();
  }

  static {
    PyRaise.register();
  }
}
