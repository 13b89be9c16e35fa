package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.server.core.Limits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line run in-process, with its output captured. */
class ColonyCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = ColonyCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void help_listsTheCommands() {
    int exitCode = run("--help");

    assertEquals(0, exitCode);
    assertTrue(out.toString().contains("Usage: colony"), out::toString);
    assertTrue(out.toString().contains("coordinator"), out::toString);
  }

  @Test
  void coordinatorHelp_describesHostAndPortWithTheirDefaults() {
    int exitCode = run("coordinator", "--help");

    assertEquals(0, exitCode);
    String help = out.toString();
    assertTrue(help.contains("Usage: colony coordinator"), help);
    assertTrue(help.contains("--host") && help.contains("default: 127.0.0.1"), help);
    assertTrue(help.contains("--port") && help.contains("default: 7070"), help);
    assertTrue(help.contains("--http-port") && help.contains("default: 7071"), help);
    assertTrue(help.contains("--no-http"), help);
    assertTrue(help.contains("--deadlock=report|fail"), help);
    assertTrue(help.contains("/metrics"), help);
    assertTrue(help.contains("--max-sessions-per-token=N"), help);
    assertTrue(help.contains("--max-sessions-per-address=N"), help);
    assertTrue(help.contains("--max-connection-idle=DURATION"), help);
    assertTrue(help.contains("--max-lease=DURATION"), help);
    assertTrue(help.contains("--max-container-bytes=SIZE"), help);
    assertTrue(help.contains("--max-stored-bytes=SIZE"), help);
    assertTrue(help.contains("--max-waiters-per-session=N"), help);
    assertTrue(help.contains("--max-retry-bytes-per-session=SIZE"), help);
    assertTrue(help.contains("--max-retry-bytes=SIZE"), help);
  }

  @Test
  void coordinator_sizeThatIsNotOne_isAUsageError() {
    int exitCode = run("coordinator", "--port", "0", "--no-http", "--max-stored-bytes", "lots");

    assertEquals(2, exitCode);
    assertTrue(err.toString().contains("'lots' is not a size"), err::toString);
  }

  @Test
  void coordinator_byteLimits_comeFromTheHeap_unlessGiven() {
    ListenOptions sized = listenOptions();
    Limits fromHeap = Limits.defaults().sizedForHeap(Runtime.getRuntime().maxMemory());
    assertEquals(fromHeap.maxStoredBytes(), sized.limits().maxStoredBytes());
    assertEquals(fromHeap.maxRetryBytes(), sized.limits().maxRetryBytes());
    assertEquals(fromHeap.maxStoredBytes() / 2, sized.limits().maxBytesPerContainer());

    ListenOptions given =
        listenOptions("--max-stored-bytes", "100MiB", "--max-retry-bytes", "8MiB");
    assertEquals(100L << 20, given.limits().maxStoredBytes());
    assertEquals(50L << 20, given.limits().maxBytesPerContainer());
    assertEquals(8L << 20, given.limits().maxRetryBytes());
  }

  private static ListenOptions listenOptions(String... args) {
    ListenOptions options = new ListenOptions();
    new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return options;
  }

  @Test
  void byteSizes_readAsPowersOf1024() {
    ByteSizeConverter sizes = new ByteSizeConverter();

    assertEquals(1_000L, sizes.convert("1000"));
    assertEquals(512L << 10, sizes.convert("512KiB"));
    assertEquals(256L << 20, sizes.convert("256MiB"));
    assertEquals(256L << 20, sizes.convert("256m"));
    assertEquals(2L << 30, sizes.convert("2 GB"));
  }

  @Test
  void coordinator_sessionLimitBelowOne_isAUsageError() {
    int exitCode = run("coordinator", "--port", "0", "--no-http", "--max-sessions-per-token", "0");

    assertEquals(2, exitCode);
    assertTrue(err.toString().contains("must be at least 1"), err::toString);
  }

  @Test
  void coordinator_unknownDeadlockPolicy_isAUsageError() {
    int exitCode = run("coordinator", "--port", "0", "--no-http", "--deadlock", "ignore");

    assertEquals(2, exitCode);
    assertTrue(err.toString().contains("expected one of [REPORT, FAIL]"), err::toString);
  }

  @Test
  void coordinator_httpPortOutOfRange_isAUsageError() {
    int exitCode = run("coordinator", "--port", "0", "--http-port", "-2");

    assertEquals(2, exitCode);
    assertTrue(err.toString().contains("--http-port must be between 0 and 65535"), err::toString);
  }

  @Test
  void coordinator_onAnHttpPortInUse_explainsAndExitsWith1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      int exitCode = run("coordinator", "--port", "0", "--http-port", String.valueOf(port));

      assertEquals(1, exitCode);
      String message = err.toString();
      assertTrue(message.contains("dashboard on 127.0.0.1:" + port), message);
      assertTrue(message.contains("--http-port"), message);
    }
  }

  @Test
  void version_printsTheProjectVersion() {
    int exitCode = run("--version");

    assertEquals(0, exitCode);
    assertTrue(out.toString().startsWith("colony 0."), out::toString);
  }

  @Test
  void noCommand_isAUsageError() {
    int exitCode = run();

    assertEquals(2, exitCode);
    assertTrue(err.toString().contains("Missing a command"), err::toString);
  }

  @Test
  void coordinator_portOutOfRange_isAUsageError() {
    int exitCode = run("coordinator", "--port", "70000");

    assertEquals(2, exitCode);
    assertTrue(err.toString().contains("--port must be between 0 and 65535"), err::toString);
  }

  @Test
  void coordinator_onAPortInUse_explainsAndExitsWith1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      int exitCode = run("coordinator", "--port", String.valueOf(port), "--no-http");

      assertEquals(1, exitCode);
      String message = err.toString();
      assertEquals(1, message.strip().lines().count(), () -> "one line: " + message);
      assertTrue(message.contains("127.0.0.1:" + port), message);
      assertTrue(message.contains("--port"), message);
      assertTrue(out.toString().isEmpty(), "nothing on stdout: " + out);
    }
  }
}
