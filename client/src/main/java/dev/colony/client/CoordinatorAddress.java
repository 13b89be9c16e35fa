package dev.colony.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coordinator's {@code HOST:PORT}, or a comma-separated list of them (the members of a replicated
 * coordinator group; the client follows whichever leads), checked before any channel is built: gRPC
 * would otherwise take a scheme for a name resolver, throw on a port out of range from a background
 * thread, and log a stack trace per attempt for a host that does not exist, instead of saying what
 * is wrong.
 */
public final class CoordinatorAddress {
  // A bracketed IPv6 literal or a host name / IPv4 address, then the port.
  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9A-Za-z:.%]+\\]|[^:/\\[\\]\\s]+):(\\d{1,5})");

  private final String host;
  private final int port;

  private CoordinatorAddress(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * Parses {@code HOST:PORT}.
   *
   * @throws IllegalArgumentException saying what a valid address looks like
   */
  public static CoordinatorAddress parse(String address) {
    if (address.contains("://")) {
      throw new IllegalArgumentException(
          "the coordinator address is HOST:PORT, without a scheme, e.g. "
              + ColonyOptions.DEFAULT_TARGET
              + "; got "
              + address);
    }
    Matcher matcher = HOST_PORT.matcher(address);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "the coordinator address is HOST:PORT, e.g. "
              + ColonyOptions.DEFAULT_TARGET
              + "; got "
              + address);
    }
    int port = Integer.parseInt(matcher.group(2));
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "the port of the coordinator address "
              + address
              + " is out of range: it must be between 1 and 65535");
    }
    return new CoordinatorAddress(matcher.group(1), port);
  }

  /**
   * Parses a comma-separated list of {@code HOST:PORT} (one address is a list of one); blanks
   * around the commas are ignored.
   *
   * @throws IllegalArgumentException with one line per bad address, each saying what a valid one
   *     looks like
   */
  public static List<CoordinatorAddress> parseList(String addresses) {
    List<CoordinatorAddress> parsed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String entry : addresses.split(",", -1)) {
      String address = entry.strip();
      if (address.isEmpty()) {
        problems.add(
            "the coordinator address list "
                + addresses
                + " has an empty entry; separate HOST:PORT addresses with single commas");
        continue;
      }
      try {
        parsed.add(parse(address));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join(System.lineSeparator(), problems));
    }
    return List.copyOf(parsed);
  }

  /**
   * Looks up every host of {@code addresses} once.
   *
   * @throws UnknownHostException with one line per unknown host
   */
  public static void resolveAll(List<CoordinatorAddress> addresses) throws UnknownHostException {
    List<String> problems = new ArrayList<>();
    for (CoordinatorAddress address : addresses) {
      try {
        address.resolve();
      } catch (UnknownHostException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new UnknownHostException(String.join(System.lineSeparator(), problems));
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /**
   * Looks the host up once, so a misspelt name fails at once with one message.
   *
   * @throws UnknownHostException naming the host
   */
  public void resolve() throws UnknownHostException {
    String literal = literalHost();
    try {
      InetAddress.getAllByName(literal);
    } catch (UnknownHostException e) {
      throw new UnknownHostException(
          "unknown host " + literal + " in the coordinator address " + this);
    }
  }

  /** The host as {@link InetAddress} takes it: an IPv6 literal without its brackets. */
  public String literalHost() {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CoordinatorAddress that
        && host.equalsIgnoreCase(that.host)
        && port == that.port;
  }

  @Override
  public int hashCode() {
    return host.toLowerCase(Locale.ROOT).hashCode() * 31 + port;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
