package dev.colony.server.grpc;

import dev.colony.proto.v1.Reply;
import dev.colony.proto.v1.ServerFrame;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what the coordinator sends on a Connect stream. */
final class FrameRecorder implements StreamObserver<ServerFrame> {
  private final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();

  /** Completes normally when the stream completes, exceptionally when it fails. */
  final CompletableFuture<Void> end = new CompletableFuture<>();

  @Override
  public void onNext(ServerFrame frame) {
    if (frame.hasReplies()) {
      // Replies sent together are recorded one by one, as if sent so.
      frame
          .getReplies()
          .getRepliesList()
          .forEach(r -> frames.add(ServerFrame.newBuilder().setReply(r).build()));
    } else {
      frames.add(frame);
    }
  }

  @Override
  public void onError(Throwable t) {
    end.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    end.complete(null);
  }

  /** The next reply; fails the test if none arrives within 5 seconds. */
  Reply nextReply() throws InterruptedException {
    ServerFrame frame = frames.poll(5, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within 5 s; stream ended: " + end);
    }
    return frame.getReply();
  }

  /** The error that ended the stream; fails the test if it did not fail within 5 seconds. */
  StatusRuntimeException awaitError() throws Exception {
    try {
      end.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (StatusRuntimeException) e.getCause();
    }
    throw new AssertionError("the stream completed instead of failing");
  }

  boolean hasPendingFrames() {
    return !frames.isEmpty();
  }
}
