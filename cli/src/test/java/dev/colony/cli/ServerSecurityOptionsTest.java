package dev.colony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The coordinator's security options as the command line takes them. */
class ServerSecurityOptionsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = ColonyCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void coordinatorHelp_describesTheHandshakeTimeout() {
    assertEquals(0, run("coordinator", "--help"));

    String help = out.toString();
    assertTrue(help.contains("--handshake-timeout=DURATION"), help);
    assertTrue(help.contains("default: 10s"), help);
  }

  @Test
  void aHandshakeTimeoutThatIsNotPositive_isAUsageError() {
    int exitCode = run("coordinator", "--port", "0", "--no-http", "--handshake-timeout", "0s");

    assertEquals(2, exitCode);
    assertTrue(err.toString().contains("--handshake-timeout must be positive"), err::toString);
  }
}
