package dev.colony.server.store;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;

/**
 * The order of the coordinator's command batches, and where they are kept. The log drives the state
 * machine through an {@link Applier}: a batch is applied only once it is durable (as the log's sync
 * mode defines durable), in append order, one at a time. Replaying the log (the latest snapshot,
 * then every batch after it) into an empty state machine rebuilds the same state. {@link
 * #inMemory()} keeps nothing, which is the coordinator's in-memory mode: the same code path with a
 * log that forgets.
 */
public interface CommandLog extends AutoCloseable {
  /**
   * Rebuilds the state through {@code applier} (restore of the latest snapshot, then apply of every
   * batch after it) and returns once the log accepts appends. Called once.
   */
  void open(Applier applier) throws java.io.IOException;

  /**
   * Appends one batch. Once it is durable, {@link Applier#apply} is called with it on the log's
   * apply thread; the future completes after that apply returned, or exceptionally if the batch can
   * never be applied (the log failed or was closed). Thread-safe, and does not wait for I/O.
   */
  CompletableFuture<Void> append(ByteString batch);

  /** Stops accepting appends and releases files and threads; batches not yet durable fail. */
  @Override
  void close();

  /** The state machine a log drives. Its methods are never called concurrently. */
  interface Applier {
    /** Applies one batch. */
    void apply(ByteString batch);

    /** The whole state, or null if this state machine cannot take snapshots. */
    ByteString snapshot();

    /** Replaces the whole state with one that {@link #snapshot()} returned. */
    void restore(ByteString snapshot);
  }

  /** The in-memory mode: batches are applied at once on the appending thread. */
  static CommandLog inMemory() {
    return new InMemoryCommandLog();
  }
}
