package dev.colony.server.http;

import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.server.auth.AccessTokens;
import dev.colony.server.loop.ApplyLoop;
import dev.colony.server.metrics.ColonyMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP side, on the JDK's built-in server: {@code /} the dashboard (one static
 * page that polls), {@code /api/status} the AdminService status as JSON, {@code /metrics} the
 * Prometheus text. Read-only; it binds the same address as the gRPC port, and speaks HTTPS with the
 * coordinator's certificate when the gRPC port speaks TLS.
 */
public final class DashboardServer {
  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);

  private static final String PAGE = "dashboard.html";
  private static final long STATUS_TIMEOUT_SECONDS = 5;
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

  private final ApplyLoop loop;
  private final ColonyMetrics metrics;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpAuth auth;
  private final byte[] page;
  private final String scheme;

  private DashboardServer(
      ApplyLoop loop,
      ColonyMetrics metrics,
      HttpServer server,
      ExecutorService executor,
      AccessTokens tokens) {
    this.auth = new HttpAuth(tokens);
    this.loop = loop;
    this.metrics = metrics;
    this.server = server;
    this.executor = executor;
    this.page = loadPage();
    this.scheme = server instanceof HttpsServer ? "https" : "http";
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  /** {@link #start(String, int, ApplyLoop, ColonyMetrics, AccessTokens)} open to every reader. */
  public static DashboardServer start(
      String host, int port, ApplyLoop loop, ColonyMetrics metrics) {
    return start(host, port, loop, metrics, AccessTokens.none());
  }

  /**
   * Binds {@code host:port} (0 picks a free port) and starts serving; with {@code tokens}, every
   * route needs a read or admin token (see {@link HttpAuth}).
   *
   * @throws UncheckedIOException with a {@link BindException} cause if the address is taken
   */
  public static DashboardServer start(
      String host, int port, ApplyLoop loop, ColonyMetrics metrics, AccessTokens tokens) {
    return start(host, port, loop, metrics, tokens, null);
  }

  /**
   * {@link #start(String, int, ApplyLoop, ColonyMetrics, AccessTokens)} over HTTPS with {@code
   * tls}, or plain HTTP if it is null.
   */
  public static DashboardServer start(
      String host,
      int port,
      ApplyLoop loop,
      ColonyMetrics metrics,
      AccessTokens tokens,
      Https tls) {
    HttpServer server;
    try {
      InetSocketAddress address = new InetSocketAddress(host, port);
      if (tls == null) {
        server = HttpServer.create(address, 0);
      } else {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(tls.configurator());
        server = https;
      }
    } catch (IOException e) {
      BindException bind =
          new BindException(
              "cannot serve the dashboard on " + host + ":" + port + ": " + e.getMessage());
      bind.initCause(e);
      throw new UncheckedIOException(bind);
    }
    // Two threads: a scrape and a page poll at once; requests are short and never block long.
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "colony-http-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    DashboardServer dashboard = new DashboardServer(loop, metrics, server, executor, tokens);
    server.start();
    log.info("dashboard on {}://{}:{}/", dashboard.scheme(), host, dashboard.port());
    return dashboard;
  }

  /**
   * The dashboard's TLS: the coordinator's certificate and key in {@code context}, and whether a
   * client must present a certificate that the context's trust managers accept (mutual TLS).
   */
  public record Https(SSLContext context, boolean requireClientCertificate) {
    HttpsConfigurator configurator() {
      return new HttpsConfigurator(context) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
          ssl.setNeedClientAuth(requireClientCertificate);
          params.setSSLParameters(ssl);
        }
      };
    }
  }

  /** "https" when it speaks TLS, else "http". */
  public String scheme() {
    return scheme;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops at once: the page and the scrapers retry, so nothing is worth waiting for. */
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", text("only GET and HEAD are served\n"));
        return;
      }
      if (!auth.mayRead(exchange)) {
        // Basic makes a browser ask for the token once (any user name, the token as password).
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"colony\"");
        send(
            exchange,
            401,
            "text/plain; charset=utf-8",
            text(
                "this coordinator needs a read token: send 'Authorization: Bearer <token>', or"
                    + " give it as the password when the browser asks\n"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String leader = loop.leaderDashboard();
      if (leader != null && !path.equals("/metrics")) {
        // A member of a group that does not lead sends people to the leader's dashboard, whose
        // view is the group's; /metrics stays this node's own, for a scraper of every node.
        exchange.getResponseHeaders().set("Location", scheme + "://" + leader + path);
        send(
            exchange,
            307,
            "text/plain; charset=utf-8",
            text("the leader serves this at " + leader + "\n"));
        return;
      }
      switch (path) {
        case "/", "/index.html" -> send(exchange, 200, "text/html; charset=utf-8", page);
        case "/api/status" -> send(exchange, 200, "application/json", text(statusJson()));
        case "/metrics" ->
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", text(scrape()));
        default ->
            send(
                exchange,
                404,
                "text/plain; charset=utf-8",
                text("not found; try /, /api/status or /metrics\n"));
      }
    } catch (TimeoutException e) {
      log.warn("{} timed out reading the coordinator's state", exchange.getRequestURI());
      sendQuietly(exchange, 503, "the coordinator did not answer in time\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sendQuietly(exchange, 503, "the dashboard is stopping\n");
    } catch (IOException e) {
      log.debug("{}: client went away: {}", exchange.getRequestURI(), e.toString());
    } catch (Exception e) {
      log.warn("{} failed", exchange.getRequestURI(), e);
      sendQuietly(exchange, 500, "internal error: " + e + "\n");
    }
  }

  private String statusJson() throws Exception {
    StatusResponse status = loop.status().get(STATUS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return JSON.print(status);
  }

  private String scrape() throws Exception {
    return metrics.scrape();
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void sendQuietly(HttpExchange exchange, int code, String message) {
    try {
      send(exchange, code, "text/plain; charset=utf-8", text(message));
    } catch (IOException | RuntimeException alreadyAnswered) {
      // Headers were already sent, or the client is gone: nothing more to tell it.
    }
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] loadPage() {
    try (InputStream in = DashboardServer.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard page " + PAGE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
