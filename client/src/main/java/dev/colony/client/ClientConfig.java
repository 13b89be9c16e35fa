package dev.colony.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a client finds its coordinator when the program does not say, shared by the SDK's {@link
 * Colony#connect()}, every client-side colony command and the worker, so they agree. Each setting
 * is taken from the first that has it: what the program or command line gives, the {@value
 * #COORDINATOR_ENVIRONMENT_VARIABLE} environment variable (for the address; {@value
 * ColonyOptions#TOKEN_ENVIRONMENT_VARIABLE} for the token), the config file, the default.
 *
 * <p>The config file ({@code ~/.config/colony/config}, or under {@code $XDG_CONFIG_HOME}) is
 * optional and holds {@code key = value} lines; {@code #} starts a comment line. Keys: {@code
 * coordinator} (HOST:PORT, or a comma-separated list of them), {@code token-file}, {@code tls}
 * (true or false), {@code tls-ca}, {@code tls-cert}, {@code tls-key}. Relative paths are relative
 * to the file's folder.
 */
public final class ClientConfig {
  /**
   * Names the coordinator's {@code HOST:PORT} (or a comma-separated list) when the program or
   * command line does not.
   */
  public static final String COORDINATOR_ENVIRONMENT_VARIABLE = "COLONY_COORDINATOR";

  private static final List<String> KEYS =
      List.of("coordinator", "token-file", "tls", "tls-ca", "tls-cert", "tls-key");

  private final Path file;
  private final Map<String, String> values;
  private final Map<String, String> environment;

  private ClientConfig(Path file, Map<String, String> values, Map<String, String> environment) {
    this.file = file;
    this.values = values;
    this.environment = environment;
  }

  /** The default config file, read if it exists; and the environment. */
  public static ClientConfig load() {
    return load(null, System.getenv());
  }

  /**
   * {@code file}, which must exist (null: the default file, if it exists); and the environment.
   *
   * @throws IllegalArgumentException if the file is missing or has a line that is not a setting
   * @throws UncheckedIOException if it cannot be read
   */
  public static ClientConfig load(Path file) {
    return load(file, System.getenv());
  }

  /** As {@link #load(Path)} with the given environment variables instead of the process's. */
  public static ClientConfig load(Path file, Map<String, String> environment) {
    Path read = file;
    if (read == null) {
      Path standard = defaultFile(environment);
      read = Files.isRegularFile(standard) ? standard : null;
    } else if (!Files.isRegularFile(read)) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    }
    return new ClientConfig(read, read == null ? Map.of() : parse(read), Map.copyOf(environment));
  }

  /** {@code $XDG_CONFIG_HOME/colony/config}, or {@code ~/.config/colony/config}. */
  public static Path defaultFile(Map<String, String> environment) {
    String xdg = environment.get("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("colony").resolve("config");
  }

  private static Map<String, String> parse(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int equals = line.indexOf('=');
      String key = equals < 0 ? line : line.substring(0, equals).strip();
      if (equals < 0 || !KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "config file "
                + file
                + " line "
                + (i + 1)
                + ": expected 'key = value' with a key among "
                + KEYS
                + ", got: "
                + line);
      }
      values.put(key, line.substring(equals + 1).strip());
    }
    return values;
  }

  /** The config file that was read, if any. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * The coordinator to talk to: {@code given} unless null, else the environment variable, else the
   * config file, else {@value ColonyOptions#DEFAULT_TARGET}.
   */
  public String coordinator(String given) {
    return choose(given, "given").address();
  }

  /**
   * Where {@link #coordinator(String)} took its answer from, for error messages: {@code
   * givenSource} (say "--coordinator"), the environment variable, the config file, or "default".
   */
  public String coordinatorSource(String given, String givenSource) {
    return choose(given, givenSource).source();
  }

  private record Choice(String address, String source) {}

  private Choice choose(String given, String givenSource) {
    if (given != null) {
      return new Choice(given, givenSource);
    }
    String fromEnvironment = environment.get(COORDINATOR_ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return new Choice(fromEnvironment.strip(), COORDINATOR_ENVIRONMENT_VARIABLE);
    }
    String fromFile = values.get("coordinator");
    if (fromFile != null && !fromFile.isEmpty()) {
      return new Choice(fromFile, "coordinator in " + file);
    }
    return new Choice(ColonyOptions.DEFAULT_TARGET, "default");
  }

  /** The config file's {@code token-file}, resolved against the file's folder. */
  public Optional<Path> tokenFile() {
    return path("token-file");
  }

  /** Whether the config file says {@code tls = true}. */
  public boolean tls() {
    String tls = values.get("tls");
    if (tls == null) {
      return false;
    }
    if (!tls.equalsIgnoreCase("true") && !tls.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(
          "config file " + file + ": tls must be true or false, got " + tls);
    }
    return Boolean.parseBoolean(tls);
  }

  public Optional<Path> tlsCa() {
    return path("tls-ca");
  }

  public Optional<Path> tlsCert() {
    return path("tls-cert");
  }

  public Optional<Path> tlsKey() {
    return path("tls-key");
  }

  /**
   * Options with these settings: the coordinator, and the token file and TLS settings the config
   * file has (the {@value ColonyOptions#TOKEN_ENVIRONMENT_VARIABLE} variable beats its token file).
   */
  public ColonyOptions.Builder newOptionsBuilder() {
    ColonyOptions.Builder options = ColonyOptions.newBuilder().setTarget(coordinator(null));
    String token = environment.get(ColonyOptions.TOKEN_ENVIRONMENT_VARIABLE);
    if ((token == null || token.isBlank()) && tokenFile().isPresent()) {
      options.setTokenFile(tokenFile().get());
    }
    return options.setTls(tlsSettings(tls(), tlsCa(), tlsCert(), tlsKey()));
  }

  /**
   * TLS settings from the usual four: off unless {@code tls}, a CA or a client certificate is
   * given.
   *
   * @throws IllegalArgumentException if only one of the certificate and the key is given
   */
  public static ClientTls tlsSettings(
      boolean tls, Optional<Path> ca, Optional<Path> cert, Optional<Path> key) {
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException("a TLS client certificate and its key go together");
    }
    ClientTls settings = null;
    if (ca.isPresent()) {
      settings = ClientTls.trusting(ca.get());
    } else if (tls || cert.isPresent()) {
      settings = ClientTls.systemTrust();
    }
    if (cert.isPresent()) {
      settings = settings.withClientCertificate(cert.get(), key.get());
    }
    return settings;
  }

  private Optional<Path> path(String key) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    if (value.startsWith("~/")) {
      return Optional.of(Path.of(System.getProperty("user.home"), value.substring(2)));
    }
    return Optional.of(file.toAbsolutePath().getParent().resolve(value));
  }
}
