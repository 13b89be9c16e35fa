package dev.colony.server.store;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps nothing: a batch is durable the moment it is appended, so it is applied at once on the
 * appending thread (the apply loop's own thread, so no hop). Restarting starts empty.
 */
final class InMemoryCommandLog implements CommandLog {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private Applier applier;
  private volatile boolean closed;

  @Override
  public void open(Applier applier) {
    this.applier = applier;
    applier.leading();
  }

  @Override
  public synchronized CompletableFuture<Void> append(ByteString batch) {
    if (closed || applier == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(closed ? "the log is closed" : "the log is not open"));
    }
    applier.apply(batch);
    return DONE;
  }

  @Override
  public boolean needsBytes() {
    return false;
  }

  @Override
  public void close() {
    closed = true;
  }
}
