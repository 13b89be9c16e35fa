package dev.colony.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hosts file of {@code colony cluster up|down|status}: one setting or host per line, {@code #}
 * starts a comment. Settings are {@code KEY VALUE}; a host is {@code coordinator ADDRESS [options]}
 * or {@code worker ADDRESS [options]}, its options passed to that host's {@code colony coordinator}
 * or {@code colony worker} as written (quote with '...' or "..."). Relative paths are relative to
 * the file, so a folder with the hosts file, token and certificates works from anywhere.
 */
record HostsFile(
    Path file, Map<String, String> settings, List<String> sshOptions, List<Host> hosts) {

  /** What a line of the file can set; `colony cluster --help` says what each means. */
  static final List<String> SETTINGS =
      List.of(
          "ssh-user",
          "ssh-port",
          "ssh-identity",
          "ssh-option",
          "remote-dir",
          "java-home",
          "java-options",
          "port",
          "raft-port",
          "token-file",
          "worker-token-file",
          "tls-cert",
          "tls-key",
          "tls-ca");

  /** A coordinator or a worker on one host, with the options its command line gets besides ours. */
  record Host(Role role, String address, List<String> options) {
    /** Where this host keeps its process's pid, log and data, under the remote folder. */
    String folder(String remoteDir) {
      return remoteDir + "/" + role.word + "-" + address.replace(':', '_');
    }

    @Override
    public String toString() {
      return role.word + " " + address;
    }
  }

  enum Role {
    COORDINATOR("coordinator"),
    WORKER("worker");

    final String word;

    Role(String word) {
      this.word = word;
    }
  }

  String setting(String key, String fallback) {
    return settings.getOrDefault(key, fallback);
  }

  Optional<Path> path(String key) {
    return Optional.ofNullable(settings.get(key)).map(file.toAbsolutePath().getParent()::resolve);
  }

  int port(String key, int fallback) {
    return Integer.parseInt(setting(key, String.valueOf(fallback)));
  }

  List<Host> coordinators() {
    return hosts.stream().filter(h -> h.role() == Role.COORDINATOR).toList();
  }

  List<Host> workers() {
    return hosts.stream().filter(h -> h.role() == Role.WORKER).toList();
  }

  /** Reads and checks {@code file}; a mistake is an {@link IllegalArgumentException} naming it. */
  static HostsFile read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the hosts file " + file + ": " + e, e);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    List<String> sshOptions = new ArrayList<>();
    List<Host> hosts = new ArrayList<>();
    Set<String> known = new LinkedHashSet<>(SETTINGS);
    for (int n = 1; n <= lines.size(); n++) {
      String where = file + ":" + n + ": ";
      List<String> words;
      try {
        words = words(lines.get(n - 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage());
      }
      if (words.isEmpty()) {
        continue;
      }
      String key = words.get(0);
      if (key.equals("coordinator") || key.equals("worker")) {
        if (words.size() < 2) {
          throw new IllegalArgumentException(where + key + " needs the host's address");
        }
        Role role = key.equals("coordinator") ? Role.COORDINATOR : Role.WORKER;
        hosts.add(new Host(role, words.get(1), List.copyOf(words.subList(2, words.size()))));
      } else if (known.contains(key)) {
        if (words.size() < 2) {
          throw new IllegalArgumentException(where + key + " needs a value");
        }
        String value = String.join(" ", words.subList(1, words.size()));
        if (key.equals("ssh-option")) {
          sshOptions.add(value);
        } else {
          settings.put(key, value);
        }
      } else {
        throw new IllegalArgumentException(
            where
                + "'"
                + key
                + "' is neither a host (coordinator ADDRESS, worker ADDRESS) nor a setting ("
                + String.join(", ", known)
                + ")");
      }
    }
    HostsFile hostsFile = new HostsFile(file, settings, sshOptions, hosts);
    hostsFile.check();
    return hostsFile;
  }

  private void check() {
    int coordinators = coordinators().size();
    if (coordinators == 0) {
      throw new IllegalArgumentException(file + " names no coordinator host");
    }
    // An even group survives no more losses than one member fewer, and two cannot lose any.
    if (coordinators > 1 && coordinators % 2 == 0) {
      throw new IllegalArgumentException(
          file
              + " names "
              + coordinators
              + " coordinators: name 1 (one durable coordinator), 3 (a group that survives"
              + " losing one) or 5 (losing two)");
    }
    Set<String> seen = new HashSet<>();
    for (Host host : hosts) {
      if (!seen.add(host.toString())) {
        throw new IllegalArgumentException(file + " names " + host + " twice");
      }
    }
    if (!settings.containsKey("token-file")) {
      throw new IllegalArgumentException(
          file
              + " sets no token-file: coordinators that other hosts reach need one. Make one with"
              + " `umask 077; openssl rand -hex 32 > colony.token` and add the line"
              + " `token-file colony.token`");
    }
    if (settings.containsKey("tls-cert") != settings.containsKey("tls-key")) {
      throw new IllegalArgumentException(file + ": tls-cert and tls-key go together");
    }
  }

  /** Splits a line into words: spaces separate, '...' and "..." group, # outside quotes ends it. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '#') {
        break;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        if (word == null) {
          word = new StringBuilder();
        }
        if (c == '\'' || c == '"') {
          quote = c;
        } else {
          word.append(c);
        }
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("a quote (" + quote + ") is not closed");
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
