package dev.colony.cli;

import dev.colony.client.ColonyChannels;
import dev.colony.client.ColonyOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code colony health}: one grpc.health.v1 check, for container HEALTHCHECKs, exec probes and
 * scripts on hosts that have Java but no grpc_health_probe. It opens no session, so it needs no
 * token and leaves nothing behind on the coordinator.
 */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Asks a coordinator's gRPC health service whether it serves: prints SERVING and exits 0,"
          + " or prints what it answered (NOT_SERVING: stopping, or its disk failed) and exits 1;"
          + " exits 1 too when it cannot be reached within --timeout.",
      "Needs no token. A member of a replicated group that does not lead is SERVING too: it"
          + " points callers at the leader."
    })
final class HealthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CoordinatorOption coordinator;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    ColonyOptions options = coordinator.connection();
    ManagedChannel channel = ColonyChannels.newChannelBuilder(options).build();
    try {
      HealthCheckResponse response =
          HealthGrpc.newBlockingStub(channel)
              // waitForReady: a coordinator that is starting gets the whole timeout to answer,
              // rather than failing the check on the first refused connection.
              .withWaitForReady()
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .check(HealthCheckRequest.getDefaultInstance());
      PrintWriter out = spec.commandLine().getOut();
      out.println(response.getStatus());
      out.flush();
      return response.getStatus() == HealthCheckResponse.ServingStatus.SERVING
          ? ExitCodes.OK
          : ExitCodes.ERROR;
    } catch (StatusRuntimeException e) {
      String reason =
          e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
              ? "no answer within " + timeout.toMillis() + " ms"
              : e.getStatus().getCode()
                  + (e.getStatus().getDescription() == null
                      ? ""
                      : ": " + e.getStatus().getDescription());
      PrintWriter err = spec.commandLine().getErr();
      err.println("health of " + options.getTarget() + ": " + reason);
      err.flush();
      return ExitCodes.ERROR;
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
