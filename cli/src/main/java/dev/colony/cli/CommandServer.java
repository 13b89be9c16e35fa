package dev.colony.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm JVM that runs short colony commands for {@code bin/colony}, as Gradle's daemon does for
 * builds: starting a JVM and loading gRPC costs a second or more per command, which a shell loop
 * such as {@code while job=$(colony queue get jobs)} pays on every turn. The launcher script starts
 * it on first use and talks to it over loopback TCP; it ends after a spell without commands, or
 * when its jar is rebuilt.
 *
 * <p>Who may use it: whoever can read the state file, which holds the port and a random secret and
 * which only its owner can read (mode 600, in a folder of mode 700). Each command runs with its
 * caller's environment and working directory ({@link Invocation}), never the server's.
 *
 * <p>The protocol, all fields UTF-8 and NUL-terminated. The caller sends: the secret, its working
 * directory, the number of arguments, the arguments, its environment variables as NAME=VALUE, and
 * an empty field. The server answers with frames: {@code O} + text (standard output), {@code E} +
 * text (standard error), and last {@code X} + the exit code. The caller closing its end cancels the
 * command (its thread is interrupted), which is what Ctrl-C on the script does.
 */
final class CommandServer {
  private static final Logger log = LoggerFactory.getLogger(CommandServer.class);

  /** The commands it runs: each talks to a coordinator briefly and reads nothing from stdin. */
  static final Set<String> COMMANDS =
      Set.of(
          "status", "queue", "value", "map", "lock", "objects", "delete", "submit", "tasks",
          "cancel");

  /** Bounds on a request, so a confused caller cannot make it buffer without limit. */
  private static final int MAX_FIELD_BYTES = 1 << 20;

  private static final int MAX_FIELDS = 10_000;

  private final Path stateFile;
  private final Duration idleTimeout;
  private final String secret;
  private final ServerSocket socket;
  private final ExecutorService commands =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "colony-command");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong lastActive = new AtomicLong(System.nanoTime());
  private final AtomicLong served = new AtomicLong();
  private final Optional<FileTime> jarModified;

  private CommandServer(Path stateFile, Duration idleTimeout) throws IOException {
    this.stateFile = stateFile;
    this.idleTimeout = idleTimeout;
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.secret = HexFormat.of().formatHex(random);
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.jarModified = ownJar().map(CommandServer::modified);
  }

  /**
   * Serves until idle for {@code idleTimeout}, or until its state file names another server (a
   * newer one took over) or its jar changes; returns then.
   */
  static void serve(Path stateFile, Duration idleTimeout) throws IOException, InterruptedException {
    CommandServer server = new CommandServer(stateFile, idleTimeout);
    server.writeStateFile();
    Thread hook = new Thread(server::removeStateFile, "colony-command-server-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor();
    checks.scheduleWithFixedDelay(server::stopIfDone, 1, 1, TimeUnit.SECONDS);
    log.info(
        "Colony command server on port {}, pid {}; state file {}",
        server.socket.getLocalPort(),
        ProcessHandle.current().pid(),
        stateFile);
    try {
      server.acceptUntilClosed();
    } finally {
      checks.shutdownNow();
      server.commands.shutdownNow();
      server.removeStateFile();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    log.info("Colony command server stopped after {} commands", server.served.get());
  }

  private void acceptUntilClosed() throws IOException {
    while (!socket.isClosed()) {
      Socket connection;
      try {
        connection = socket.accept();
      } catch (SocketException closed) {
        return;
      }
      running.incrementAndGet();
      commands.execute(() -> handle(connection));
    }
  }

  private void stopIfDone() {
    if (running.get() > 0) {
      return;
    }
    String reason = null;
    if (System.nanoTime() - lastActive.get() > idleTimeout.toNanos()) {
      reason = "idle for " + idleTimeout.toSeconds() + " s";
    } else if (!ownsStateFile()) {
      reason = "its state file " + stateFile + " names another server";
    } else if (!jarModified.equals(ownJar().map(CommandServer::modified))) {
      reason = "its jar was rebuilt";
    }
    if (reason != null) {
      log.info("Colony command server stopping: {}", reason);
      try {
        socket.close();
      } catch (IOException e) {
        log.debug("closing the command server's socket", e);
      }
    }
  }

  private void handle(Socket connection) {
    try (connection) {
      connection.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(connection.getInputStream());
      OutputStream out = new BufferedOutputStream(connection.getOutputStream());
      Request request = Request.read(in);
      if (!MessageDigest.isEqual(
          secret.getBytes(StandardCharsets.UTF_8),
          request.secret().getBytes(StandardCharsets.UTF_8))) {
        log.warn("Refused a command server connection with a wrong secret");
        return;
      }
      served.incrementAndGet();
      int code = run(request, in, out);
      synchronized (out) {
        out.write(("X" + code + "\0").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      log.debug("command server connection ended", e);
    } finally {
      lastActive.set(System.nanoTime());
      running.decrementAndGet();
    }
  }

  /** Runs the request's command; the caller hanging up interrupts it. */
  private static int run(Request request, InputStream in, OutputStream out) {
    PrintWriter stdout = new PrintWriter(new FrameWriter('O', out), true);
    PrintWriter stderr = new PrintWriter(new FrameWriter('E', out), true);
    String[] args = request.args();
    if (args.length == 0 || !COMMANDS.contains(args[0])) {
      stderr.println(
          "colony: the command server runs only "
              + COMMANDS
              + "; run other commands with COLONY_COMMAND_SERVER=off");
      return ExitCodes.USAGE;
    }
    Thread command = Thread.currentThread();
    Object lock = new Object();
    boolean[] finished = {false};
    Thread hangUp =
        new Thread(
            () -> {
              try {
                while (in.read() >= 0) {
                  // The caller sends nothing after its request; read until it hangs up.
                }
              } catch (IOException closed) {
                // Closed by us after the command, or reset by the caller.
              }
              synchronized (lock) {
                if (!finished[0]) {
                  command.interrupt();
                }
              }
            },
            "colony-command-hang-up");
    hangUp.setDaemon(true);
    hangUp.start();
    try {
      return ColonyCommand.newCommandLine(
              new Invocation(request.environment(), Path.of(request.workingDirectory())))
          .setOut(stdout)
          .setErr(stderr)
          .execute(args);
    } finally {
      synchronized (lock) {
        finished[0] = true;
        Thread.interrupted();
      }
      stdout.flush();
      stderr.flush();
    }
  }

  private void writeStateFile() throws IOException {
    Path folder = stateFile.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    Path written =
        Files.createTempFile(
            folder,
            "command-server",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        written, socket.getLocalPort() + " " + secret + " " + ProcessHandle.current().pid() + "\n");
    Files.move(written, stateFile, StandardCopyOption.ATOMIC_MOVE);
  }

  private boolean ownsStateFile() {
    return State.read(stateFile).map(state -> state.secret().equals(secret)).orElse(false);
  }

  private void removeStateFile() {
    if (ownsStateFile()) {
      try {
        Files.deleteIfExists(stateFile);
      } catch (IOException e) {
        log.debug("removing {}", stateFile, e);
      }
    }
  }

  private static Optional<Path> ownJar() {
    try {
      Path code =
          Path.of(CommandServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(code) ? Optional.of(code) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      // Deleted or replaced mid-check: as good as changed.
      return FileTime.fromMillis(0);
    }
  }

  /** The state file's content: where a server listens, its secret and its pid. */
  record State(int port, String secret, long pid) {
    static Optional<State> read(Path file) {
      try {
        String[] words = Files.readString(file).trim().split(" ");
        return Optional.of(
            new State(Integer.parseInt(words[0]), words[1], Long.parseLong(words[2])));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Where the state file is: {@code $COLONY_COMMAND_SERVER_DIR/command-server}, else under {@code
   * $XDG_RUNTIME_DIR/colony}, else under {@code $HOME/.cache/colony}; {@code bin/colony} looks in
   * the same place. $HOME, as the script sees it, rather than Java's user.home, which comes from
   * the password database.
   */
  static Path stateFile(Map<String, String> environment) {
    String folder = environment.get("COLONY_COMMAND_SERVER_DIR");
    if (folder != null && !folder.isBlank()) {
      return Path.of(folder).resolve("command-server");
    }
    String runtime = environment.get("XDG_RUNTIME_DIR");
    String home = environment.get("HOME");
    Path base =
        runtime != null && !runtime.isBlank()
            ? Path.of(runtime)
            : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"))
                .resolve(".cache");
    return base.resolve("colony").resolve("command-server");
  }

  /** One command as the caller sent it. */
  record Request(
      String secret, String workingDirectory, String[] args, Map<String, String> environment) {
    static Request read(InputStream in) throws IOException {
      String secret = field(in);
      String workingDirectory = field(in);
      int count;
      try {
        count = Integer.parseInt(field(in));
      } catch (NumberFormatException e) {
        throw new IOException("not a command server request");
      }
      if (count < 0 || count > MAX_FIELDS) {
        throw new IOException("too many arguments: " + count);
      }
      String[] args = new String[count];
      for (int i = 0; i < count; i++) {
        args[i] = field(in);
      }
      Map<String, String> environment = new java.util.HashMap<>();
      for (String entry = field(in); !entry.isEmpty(); entry = field(in)) {
        int equals = entry.indexOf('=');
        if (equals > 0 && environment.size() < MAX_FIELDS) {
          environment.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
      }
      return new Request(secret, workingDirectory, args, environment);
    }

    private static String field(InputStream in) throws IOException {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      for (int b = in.read(); b != 0; b = in.read()) {
        if (b < 0) {
          throw new IOException("the caller hung up mid-request");
        }
        if (bytes.size() == MAX_FIELD_BYTES) {
          throw new IOException("a request field over " + MAX_FIELD_BYTES + " bytes");
        }
        bytes.write(b);
      }
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
