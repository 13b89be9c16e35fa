package dev.colony.it.support;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyOptions;
import dev.colony.server.ColonyServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one coordinator ({@link ColonyServer} on 127.0.0.1, ephemeral port) per test class and
 * injects {@link ColonyClient} parameters: a new client per test method, closed after it.
 *
 * <pre>{@code
 * @RegisterExtension static final ColonyExtension colony = new ColonyExtension();
 * @Test void put_then_take(ColonyClient client) { client.queue(colony.name("q"), String.class)... }
 * }</pre>
 */
public final class ColonyExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ColonyExtension.class);

  private final AtomicInteger names = new AtomicInteger();
  private ColonyServer server;
  private volatile String currentTest = "test";

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = ColonyServer.forAddress("127.0.0.1", 0).start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
      server = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    currentTest = context.getRequiredTestMethod().getName();
  }

  /** The {@code host:port} of this class's coordinator. */
  public String target() {
    if (server == null) {
      throw new IllegalStateException("the coordinator runs only while the test class runs");
    }
    return "127.0.0.1:" + server.port();
  }

  /** Callers blocked on the coordinator right now, across every object. */
  public int waiters() throws Exception {
    return server.loop().stats(0).get(30, TimeUnit.SECONDS).waiters();
  }

  /** A new client the caller must close (tests that need several sessions). */
  public ColonyClient newClient() {
    return Colony.connect(target());
  }

  /** A new client with these options (the target is this coordinator's); the caller closes it. */
  public ColonyClient newClient(ColonyOptions.Builder options) {
    return Colony.connect(options.setTarget(target()).build());
  }

  /** An object name no other test of this run uses: {@code <test method>.<base>.<n>}. */
  public String name(String base) {
    return currentTest + "." + base + "." + names.incrementAndGet();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ColonyClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ColonyClient client = newClient();
    // JUnit closes AutoCloseable store values when their scope (here: the test method) ends.
    context.getStore(NAMESPACE).put(new Object(), client);
    return client;
  }
}
