package dev.colony.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.server.store.RatisCommandLog.Options;
import dev.colony.server.store.RatisCommandLog.SyncMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RatisCommandLogTest {
  @TempDir Path dir;

  private final List<RatisCommandLog> logs = new ArrayList<>();

  @AfterEach
  void closeLogs() {
    logs.forEach(RatisCommandLog::close);
  }

  /** A toy state machine: the longs it was given, in order; a snapshot is the whole list. */
  static class Longs implements CommandLog.Applier {
    final List<Long> values = new ArrayList<>();
    final List<Long> applied = new ArrayList<>(); // since open, not restored ones
    final List<String> calls = new ArrayList<>();
    final boolean snapshots;
    int snapshotsTaken;

    Longs(boolean snapshots) {
      this.snapshots = snapshots;
    }

    @Override
    public synchronized void apply(ByteString batch) {
      long v = batch.asReadOnlyByteBuffer().getLong();
      values.add(v);
      applied.add(v);
      if (calls.isEmpty() || !calls.get(calls.size() - 1).equals("apply")) {
        calls.add("apply");
      }
    }

    @Override
    public synchronized ByteString snapshot() {
      if (!snapshots) {
        return null;
      }
      snapshotsTaken++;
      ByteBuffer b = ByteBuffer.allocate(values.size() * Long.BYTES);
      values.forEach(b::putLong);
      return ByteString.copyFrom(b.flip());
    }

    @Override
    public synchronized void restore(ByteString snapshot) {
      calls.add("restore");
      values.clear();
      ByteBuffer b = snapshot.asReadOnlyByteBuffer();
      while (b.hasRemaining()) {
        values.add(b.getLong());
      }
    }

    synchronized List<Long> values() {
      return List.copyOf(values);
    }

    synchronized List<Long> applied() {
      return List.copyOf(applied);
    }

    synchronized List<String> calls() {
      return List.copyOf(calls);
    }
  }

  static ByteString batch(long v) {
    return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(v).flip());
  }

  private RatisCommandLog open(Options options, CommandLog.Applier applier) throws IOException {
    RatisCommandLog log = new RatisCommandLog(options);
    logs.add(log);
    log.open(applier);
    return log;
  }

  private static void await(CompletableFuture<?> f, String what) throws Exception {
    try {
      f.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what, e);
    }
  }

  /** Appends start..end-1, with at most `window` in flight, and waits for all of them. */
  private static void appendAll(CommandLog log, long start, long end, int window) throws Exception {
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    for (long v = start; v < end; v++) {
      inFlight.add(log.append(batch(v)));
      if (inFlight.size() == window) {
        await(CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)), "appends");
        inFlight.clear();
      }
    }
    await(CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)), "appends");
  }

  private static List<Long> range(long start, long end) {
    return LongStream.range(start, end).boxed().toList();
  }

  @Test
  void appliesEachBatchOnceInOrderBeforeItsFutureCompletes() throws Exception {
    Longs state = new Longs(true);
    RatisCommandLog log = open(Options.defaults(dir), state);
    List<CompletableFuture<Boolean>> appliedAtCompletion = new ArrayList<>();
    for (long v = 0; v < 200; v++) {
      long value = v;
      appliedAtCompletion.add(log.append(batch(v)).thenApply(x -> state.values().contains(value)));
    }
    for (CompletableFuture<Boolean> f : appliedAtCompletion) {
      await(f, "an append");
      assertTrue(f.get(), "a future completed before its batch was applied");
    }
    assertEquals(range(0, 200), state.values());
  }

  @Test
  void concurrentAppendsAreEachAppliedOnce() throws Exception {
    Longs state = new Longs(true);
    RatisCommandLog log = open(Options.defaults(dir), state);
    int threads = 4;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long base = t * 1_000_000L;
        submitted.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<Void>> fs = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    fs.add(log.append(batch(base + i)));
                  }
                  return fs;
                }));
      }
      for (Future<List<CompletableFuture<Void>>> s : submitted) {
        List<CompletableFuture<Void>> fs = s.get(60, TimeUnit.SECONDS);
        await(CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)), "appends");
      }
    } finally {
      pool.shutdownNow();
    }
    List<Long> values = state.values();
    assertEquals(threads * perThread, values.size());
    assertEquals(threads * perThread, new HashSet<>(values).size(), "a batch applied twice");
    for (int t = 0; t < threads; t++) {
      long base = t * 1_000_000L;
      List<Long> mine = values.stream().filter(v -> v / 1_000_000L == base / 1_000_000L).toList();
      assertEquals(range(base, base + perThread), mine, "one thread's appends out of order");
    }
  }

  @ParameterizedTest
  @EnumSource(SyncMode.class)
  void reopeningReplaysEverything(SyncMode mode) throws Exception {
    Options options = Options.defaults(dir).withSyncMode(mode);
    Longs first = new Longs(true);
    RatisCommandLog log = open(options, first);
    appendAll(log, 0, 500, 64);
    log.close();

    Longs second = new Longs(true);
    RatisCommandLog reopened = open(options, second);
    assertEquals(range(0, 500), second.values(), "replayed on open");
    assertEquals(List.of("apply"), second.calls(), "no snapshot yet, so only applies");
    appendAll(reopened, 500, 600, 64);
    assertEquals(range(0, 600), second.values());
  }

  @Test
  void restartRestoresTheSnapshotThenTheLaterBatchesAndThePurgedLogStaysSmall() throws Exception {
    Options options =
        Options.defaults(dir)
            .withSyncMode(SyncMode.BATCH)
            .withSnapshotEvery(250)
            .withSegmentBytes(4 * 1024);
    Longs first = new Longs(true);
    RatisCommandLog log = open(options, first);
    appendAll(log, 0, 5_000, 256);
    log.close();
    assertTrue(first.snapshotsTaken >= 19, "snapshots taken: " + first.snapshotsTaken);

    Path group = dir.resolve("raft").resolve(options.groupId().toString());
    List<Path> snapshots = list(group.resolve("sm"), "snapshot\\.\\d+_\\d+");
    assertTrue(snapshots.size() <= 2, "snapshot files kept: " + snapshots);
    // Without purging, 5,000 entries would take 60+ segments of 4 KiB.
    List<Path> segments = list(group.resolve("current"), "log_.*");
    assertTrue(segments.size() <= 10, "log segments left: " + segments);
    long logBytes = size(group.resolve("current"));
    assertTrue(logBytes < 64 * 1024, "log bytes left: " + logBytes);

    Longs second = new Longs(true);
    open(options, second);
    assertEquals(range(0, 5_000), second.values());
    // The last snapshot is fewer than 250 entries behind the end (it may be at the very end).
    int later = second.applied().size();
    assertTrue(later < 250, "batches applied after the snapshot: " + later);
    assertEquals(later == 0 ? List.of("restore") : List.of("restore", "apply"), second.calls());
    assertEquals(range(5_000 - later, 5_000), second.applied());
  }

  @Test
  void withoutSnapshotsNothingIsPurgedAndARestartReplaysEverything() throws Exception {
    Options options = Options.defaults(dir).withSnapshotEvery(100).withSegmentBytes(4 * 1024);
    Longs first = new Longs(false);
    RatisCommandLog log = open(options, first);
    appendAll(log, 0, 1_000, 64);
    log.close();

    Path group = dir.resolve("raft").resolve(options.groupId().toString());
    assertEquals(List.of(), list(group.resolve("sm"), "snapshot.*"));

    Longs second = new Longs(false);
    open(options, second);
    assertEquals(range(0, 1_000), second.values());
    assertEquals(range(0, 1_000), second.applied(), "every batch replayed, none restored");
    assertEquals(List.of("apply"), second.calls());
  }

  @Test
  void appendAfterCloseFails() throws Exception {
    RatisCommandLog log = open(Options.defaults(dir), new Longs(true));
    await(log.append(batch(1)), "an append");
    log.close();
    CompletableFuture<Void> f = log.append(batch(2));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
    assertNotNull(e.getCause());
    assertFalse(f.isCancelled());
  }

  @Test
  void appendBeforeOpenFails() {
    RatisCommandLog log = new RatisCommandLog(dir, SyncMode.ALWAYS);
    logs.add(log);
    assertTrue(log.append(batch(1)).isCompletedExceptionally());
  }

  private static List<Path> list(Path dir, String regex) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches(regex))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
