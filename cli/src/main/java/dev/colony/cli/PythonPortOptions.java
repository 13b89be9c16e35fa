package dev.colony.cli;

import dev.colony.client.ColonyOptions;
import dev.colony.python.PythonFrontDoor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The Python front door: CPython's multiprocessing.managers protocol on a port of its own. */
final class PythonPortOptions {
  @Spec(Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  @Option(
      names = "--python-port",
      paramLabel = "PORT",
      description =
          "Also serve Python's multiprocessing.managers clients on this port (0: any free port);"
              + " needs --python-authkey-file.")
  Integer port;

  @Option(
      names = "--python-authkey-file",
      paramLabel = "FILE",
      description =
          "The authkey Python clients must give (the file's bytes, trailing newline" + " removed).")
  Path authkeyFile;

  /** Whether the front door was asked for. */
  boolean requested() {
    return port != null;
  }

  /**
   * A usage error when the front door is asked for next to TLS: Python's manager protocol has no
   * TLS, and a plain-text port beside a TLS one would quietly undo what TLS is there for. Called
   * before anything starts, so the refusal needs no usable certificate.
   */
  void refuseTls(boolean tls) {
    if (port != null && tls) {
      throw new ParameterException(
          mixee.commandLine(),
          "--python-port cannot be used with --tls-cert: Python's multiprocessing.managers protocol"
              + " has no TLS, so that port would carry every value in the clear. Run the Python"
              + " port on a coordinator without TLS bound to loopback (--host 127.0.0.1), or reach"
              + " it from other machines through a tunnel (ssh -L, stunnel, WireGuard).");
    }
  }

  /**
   * Starts the front door if asked for, against the coordinator at {@code host:grpcPort}, calling
   * it with {@code token} (null: the coordinator takes no tokens).
   */
  PythonFrontDoor start(String host, int grpcPort, String token, boolean tls) {
    if (port == null) {
      if (authkeyFile != null) {
        throw new ParameterException(
            mixee.commandLine(), "--python-authkey-file needs --python-port");
      }
      return null;
    }
    if (authkeyFile == null) {
      throw new ParameterException(
          mixee.commandLine(),
          "--python-port needs --python-authkey-file: the Python port never runs without an authkey");
    }
    refuseTls(tls);
    byte[] key;
    try {
      key = Files.readString(authkeyFile).strip().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(mixee.commandLine(), "cannot read --python-authkey-file: " + e);
    }
    if (key.length == 0) {
      throw new ParameterException(mixee.commandLine(), "--python-authkey-file is empty");
    }
    String target =
        (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host)
            + ":"
            + grpcPort;
    try {
      ColonyOptions.Builder client = ColonyOptions.newBuilder().setTarget(target);
      if (token != null) {
        client.setToken(token);
      }
      return new PythonFrontDoor(
              client.build(), host, port, key, PythonFrontDoor.DEFAULT_MAX_CONNECTIONS)
          .start();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
