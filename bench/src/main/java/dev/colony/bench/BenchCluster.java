package dev.colony.bench;

import java.util.OptionalLong;

/** A coordinator with its workers that the bench measures against. */
interface BenchCluster extends AutoCloseable {
  /** The coordinator's {@code host:port}. */
  String target();

  /** The coordinator's process id when it runs in a process of its own. */
  OptionalLong coordinatorPid();

  /** One line for the report: how the coordinator and workers run. */
  String describe();

  /** Stops the workers, then the coordinator. */
  @Override
  void close();

  /** Starts a cluster of {@code workers} workers with {@code slots} slots each. */
  @FunctionalInterface
  interface Factory {
    BenchCluster start(int workers, int slots) throws Exception;
  }
}
