package dev.colony.it.workers;

import static org.awaitility.Awaitility.await;

import dev.colony.client.Colony;
import dev.colony.client.ColonyClient;
import dev.colony.it.support.CoordinatorProcess;
import dev.colony.proto.v1.AdminServiceGrpc;
import dev.colony.proto.v1.StatusRequest;
import dev.colony.proto.v1.StatusResponse;
import dev.colony.proto.v1.WorkerStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A coordinator JVM with worker JVMs around it, plus a raw AdminService stub to read the
 * coordinator's own view of its workers and tasks. Closed by the test class that started it.
 */
final class WorkerCluster implements AutoCloseable {

  private final CoordinatorProcess coordinator;
  private final ManagedChannel adminChannel;
  private final List<WorkerProcess> workers = new ArrayList<>();
  private final AtomicInteger workerNames = new AtomicInteger();
  private final AtomicInteger objectNames = new AtomicInteger();

  private WorkerCluster(CoordinatorProcess coordinator) {
    this.coordinator = coordinator;
    this.adminChannel =
        ManagedChannelBuilder.forAddress("127.0.0.1", coordinator.port()).usePlaintext().build();
  }

  /** A coordinator and {@code workers} workers, each with {@link WorkerProcess#SLOTS} slots. */
  static WorkerCluster start(int workers) throws TimeoutException {
    WorkerCluster cluster = new WorkerCluster(CoordinatorProcess.start());
    try {
      cluster.startWorkers(workers);
      return cluster;
    } catch (TimeoutException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts {@code count} more workers side by side and waits until each has joined. */
  List<WorkerProcess> startWorkers(int count) throws TimeoutException {
    List<WorkerProcess> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      WorkerProcess worker =
          WorkerProcess.launch("worker-jvm-" + workerNames.incrementAndGet(), target());
      workers.add(worker);
      started.add(worker);
    }
    for (WorkerProcess worker : started) {
      worker.awaitConnected();
    }
    return started;
  }

  /** Every worker this cluster started, including those a test stopped. */
  List<WorkerProcess> workers() {
    return List.copyOf(workers);
  }

  String target() {
    return coordinator.target();
  }

  /** A new client; the caller closes it. */
  ColonyClient newClient() {
    return Colony.connect(target());
  }

  /** A shared-object name no other test of this cluster uses. */
  String name(String base) {
    return base + "." + objectNames.incrementAndGet();
  }

  /** The coordinator's AdminService status, read through a raw gRPC stub. */
  StatusResponse status() {
    return AdminServiceGrpc.newBlockingStub(adminChannel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .status(StatusRequest.getDefaultInstance());
  }

  /** The coordinator's record of {@code worker}, empty once it counts the worker as gone. */
  Optional<WorkerStatus> workerStatus(WorkerProcess worker) {
    return status().getWorkersList().stream()
        .filter(w -> w.getWorkerId().equals(worker.workerId()))
        .findFirst();
  }

  /** Ids of the workers the coordinator counts as connected. */
  List<String> connectedWorkerIds() {
    return status().getWorkersList().stream().map(WorkerStatus::getWorkerId).toList();
  }

  /**
   * Kills every worker still running and waits until the coordinator has dropped them all, so the
   * next test starts from a coordinator without workers whatever this one left behind.
   */
  void stopWorkers(Duration timeout) {
    workers.forEach(WorkerProcess::close);
    await()
        .atMost(timeout)
        .alias("the coordinator still lists workers")
        .until(() -> status().getWorkersCount() == 0);
  }

  @Override
  public void close() {
    workers.forEach(WorkerProcess::close);
    adminChannel.shutdownNow();
    coordinator.close();
  }
}
