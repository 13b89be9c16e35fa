package dev.colony.cli;

import dev.colony.cli.HostsFile.Host;
import dev.colony.client.ClientConfig;
import dev.colony.client.ColonyChannels;
import dev.colony.client.ColonyOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --hosts FILE} and what follows from the file for every cluster command: the hosts over
 * ssh, each coordinator's node id and the group's peers, the address clients use, and a health
 * check with the file's TLS settings.
 */
final class ClusterHosts {
  static final int DEFAULT_PORT = 7070;
  static final int DEFAULT_RAFT_PORT = 7081;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--hosts",
      paramLabel = "FILE",
      required = true,
      description = "The hosts file (its format is in `colony cluster --help`).")
  Path file;

  private HostsFile loaded;

  HostsFile file() {
    if (loaded == null) {
      try {
        loaded = HostsFile.read(file);
        for (String key : List.of("token-file", "worker-token-file", "tls-cert", "tls-key")) {
          Optional<Path> path = loaded.path(key);
          if (path.isPresent() && !Files.isReadable(path.get())) {
            throw new IllegalArgumentException(
                file + ": " + key + " " + path.get() + " is not a readable file");
          }
        }
      } catch (IllegalArgumentException | UncheckedIOException e) {
        throw new ParameterException(mixee.commandLine(), e.getMessage());
      }
    }
    return loaded;
  }

  /** Every host, coordinators first, each reached with the file's ssh settings. */
  List<RemoteHost> remoteHosts() {
    Ssh ssh = new Ssh(file());
    String remoteDir = file().setting("remote-dir", "colony");
    String version = version();
    List<RemoteHost> remote = new ArrayList<>();
    for (Host host : file().coordinators()) {
      remote.add(new RemoteHost(ssh, host, remoteDir, version));
    }
    for (Host host : file().workers()) {
      remote.add(new RemoteHost(ssh, host, remoteDir, version));
    }
    return remote;
  }

  boolean isGroup() {
    return file().coordinators().size() > 1;
  }

  /** The node id of coordinator {@code host} in the group: n1, n2, ... in the file's order. */
  String nodeId(Host host) {
    return "n" + (file().coordinators().indexOf(host) + 1);
  }

  /** {@code --peers}: every member's id with its address and Raft port. */
  String peers() {
    List<Host> coordinators = file().coordinators();
    int raftPort = file().port("raft-port", DEFAULT_RAFT_PORT);
    return IntStream.range(0, coordinators.size())
        .mapToObj(i -> "n" + (i + 1) + "=" + coordinators.get(i).address() + ":" + raftPort)
        .collect(Collectors.joining(","));
  }

  String clientAddress(Host coordinator) {
    return coordinator.address() + ":" + file().port("port", DEFAULT_PORT);
  }

  /** What clients and workers pass as {@code --coordinator}: every coordinator. */
  String coordinatorTarget() {
    return file().coordinators().stream().map(this::clientAddress).collect(Collectors.joining(","));
  }

  /**
   * Asks {@code coordinator}'s gRPC health service, waiting up to {@code timeout} for it to answer:
   * "SERVING", or what it said instead, or why there was no answer.
   */
  String health(Host coordinator, Duration timeout) {
    ColonyOptions options =
        ColonyOptions.newBuilder()
            .setTarget(clientAddress(coordinator))
            .setTls(
                ClientConfig.tlsSettings(
                    file().settings().containsKey("tls-cert"),
                    file().path("tls-ca"),
                    Optional.empty(),
                    Optional.empty()))
            .build();
    ManagedChannel channel = ColonyChannels.newChannelBuilder(options).build();
    try {
      return HealthGrpc.newBlockingStub(channel)
          .withWaitForReady()
          .withDeadlineAfter(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.getDefaultInstance())
          .getStatus()
          .name();
    } catch (StatusRuntimeException e) {
      return "no answer (" + e.getStatus().getCode() + ")";
    } finally {
      channel.shutdownNow();
    }
  }

  /** The version of this colony, which names the distribution on the hosts. */
  static String version() {
    Properties properties = new Properties();
    try (var in = ColonyCommand.class.getResourceAsStream("version.properties")) {
      properties.load(in);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }
}
