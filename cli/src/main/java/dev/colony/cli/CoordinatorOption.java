package dev.colony.cli;

import dev.colony.client.ClientConfig;
import dev.colony.client.ColonyOptions;
import dev.colony.client.CoordinatorAddress;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --coordinator HOST:PORT[,HOST:PORT...]} and how to reach it (config file, token, TLS): one
 * mixin for every command that talks to a coordinator, the worker included. What the command line
 * leaves out comes from {@link ClientConfig}, the rule the SDK's {@code Colony.connect()} follows
 * too.
 */
final class CoordinatorOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--coordinator",
      paramLabel = "HOST:PORT",
      description =
          "The coordinator (default: the "
              + ClientConfig.COORDINATOR_ENVIRONMENT_VARIABLE
              + " environment variable, else 'coordinator' in the config file, else "
              + ColonyOptions.DEFAULT_TARGET
              + "). A replicated group: its members, comma-separated.")
  String target;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Read the coordinator, token-file and tls settings from this file of 'key = value'"
              + " lines (default: ~/.config/colony/config, if it exists).")
  Path config;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "A file holding the token to send (default: the COLONY_TOKEN environment variable,"
              + " else token-file in the config file); never put a token on the command line,"
              + " where ps shows it.")
  Path tokenFile;

  @Option(
      names = "--tls",
      description = "Talk TLS, trusting the certificate authorities the JVM trusts.")
  boolean tls;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "Talk TLS, trusting the CA certificate(s) in this PEM file.")
  Path tlsCa;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "With mutual TLS: this process's certificate chain (PEM); needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "With mutual TLS: this process's private key (PEM, PKCS#8).")
  Path tlsKey;

  private ClientConfig loaded;

  /**
   * The coordinator's address (or comma-separated addresses), from the command line, the
   * environment or the config file, checked as HOST:PORT and looked up, so a wrong one is a usage
   * error now rather than a wait.
   */
  String target() {
    ClientConfig settings = settings();
    String address = settings.coordinator(target);
    try {
      CoordinatorAddress.resolveAll(CoordinatorAddress.parseList(address));
    } catch (IllegalArgumentException | UnknownHostException e) {
      String source = settings.coordinatorSource(target, "--coordinator");
      // One line per bad address, each saying where it came from.
      throw usageError(
          source.equals("--coordinator")
              ? e.getMessage()
              : e.getMessage()
                  .lines()
                  .map(line -> line + " (from " + source + ")")
                  .collect(Collectors.joining(System.lineSeparator())));
    }
    return address;
  }

  /** How to reach the coordinator: its address, the token and TLS. */
  ColonyOptions connection() {
    String address = target();
    ClientConfig settings = settings();
    try {
      ColonyOptions.Builder options =
          ColonyOptions.newBuilder()
              .setTarget(address)
              // The caller's environment, not this JVM's: a command server serves many shells.
              .setToken(environment().get(ColonyOptions.TOKEN_ENVIRONMENT_VARIABLE));
      if (tokenFile != null) {
        options.setTokenFile(tokenFile);
      } else if (options.build().getToken() == null && settings.tokenFile().isPresent()) {
        options.setTokenFile(settings.tokenFile().get());
      }
      return options
          .setTls(
              ClientConfig.tlsSettings(
                  tls || settings.tls(),
                  either(tlsCa, settings.tlsCa()),
                  either(tlsCert, settings.tlsCert()),
                  either(tlsKey, settings.tlsKey())))
          .build();
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
  }

  private ClientConfig settings() {
    if (loaded == null) {
      try {
        loaded = ClientConfig.load(config, environment());
      } catch (UncheckedIOException | IllegalArgumentException e) {
        throw usageError(e.getMessage());
      }
    }
    return loaded;
  }

  private Map<String, String> environment() {
    return ColonyCommand.invocation(mixee.commandLine()).environment();
  }

  private static Optional<Path> either(Path given, Optional<Path> configured) {
    return given != null ? Optional.of(given) : configured;
  }

  private ParameterException usageError(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
