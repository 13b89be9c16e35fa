package dev.colony.server.store;

import com.google.protobuf.UnsafeByteOperations;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.AtomicFileOutputStream;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Drives a {@link CommandLog.Applier} from Ratis: committed entries are applied on Ratis' state
 * machine updater thread (one thread, log order), snapshots are the applier's bytes in one file per
 * snapshot ({@code sm/snapshot.<term>_<index>} with an md5 beside it).
 */
final class ColonyStateMachine extends BaseStateMachine {
  private final CommandLog.Applier applier;
  private final RaftPeerId self;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final CompletableFuture<Void> replayed = new CompletableFuture<>();

  /** Whether the applier was last told this node leads. */
  private boolean toldLeading; // guarded by this

  /** Set once the applier returned null from snapshot(): never ask again (so never purge). */
  private volatile boolean snapshotsUnsupported;

  ColonyStateMachine(CommandLog.Applier applier, RaftPeerId self) {
    this.applier = applier;
    this.self = self;
  }

  /**
   * Completes when this node leads and has applied the entry that started its term: every entry
   * appended before the restart has been applied by then, since entries are applied in log order.
   */
  CompletableFuture<Void> replayed() {
    return replayed;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    // Ratis pauses a running state machine before it installs a snapshot from the leader, and
    // checks it is paused before reinitialize(): the life cycle must say RUNNING once started.
    getLifeCycle()
        .startAndTransition(
            () -> {
              super.initialize(server, groupId, raftStorage);
              storage.init(raftStorage);
              restore(storage.getLatestSnapshot());
            },
            IOException.class);
  }

  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    // After a snapshot was installed from the leader: this follower was too far behind for the
    // log the leader still keeps.
    restore(storage.loadLatestSnapshot());
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  private void restore(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(file, md5);
    }
    // A fresh array we hand over, so wrapping it without a copy is safe.
    applier.restore(UnsafeByteOperations.unsafeWrap(Files.readAllBytes(file.toPath())));
    setLastAppliedTermIndex(snapshot.getTermIndex());
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    try {
      // Ratis' (shaded) ByteString is immutable: a read-only view of it is ours without a copy.
      applier.apply(
          UnsafeByteOperations.unsafeWrap(
              entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer()));
      return CompletableFuture.completedFuture(Message.EMPTY);
    } catch (RuntimeException | Error e) {
      // Fails this batch's append future; Ratis goes on with the next entry.
      return CompletableFuture.failedFuture(e);
    } finally {
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    }
  }

  /**
   * A read request of {@link RatisCommandLog#readIndex}: Ratis calls this once the read index is
   * applied. The read itself runs in Colony's apply loop afterwards, so there is nothing to answer.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  @Override
  public long takeSnapshot() throws IOException {
    if (snapshotsUnsupported) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    // Runs on the updater thread after every applied entry's future completed, so the applier's
    // state is exactly the state at `last`.
    TermIndex last = getLastAppliedTermIndex();
    com.google.protobuf.ByteString bytes = applier.snapshot();
    if (bytes == null) {
      snapshotsUnsupported = true;
      return RaftLog.INVALID_LOG_INDEX;
    }
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    // Written to a temporary file, fsynced, then renamed: a snapshot file is always whole.
    try (OutputStream out = new AtomicFileOutputStream(file)) {
      bytes.writeTo(out);
    }
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    // The rename must be durable before Ratis purges the log segments the snapshot replaces.
    try (FileChannel dir =
        FileChannel.open(file.getParentFile().toPath(), StandardOpenOption.READ)) {
      dir.force(true);
    }
    storage.updateLatestSnapshot(
        new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
    return last.getIndex();
  }

  @Override
  public void notifyLeaderReady() {
    // Leading before open() returns: a log of one node serves as soon as it is open.
    synchronized (this) {
      toldLeading = true;
      applier.leading();
    }
    replayed.complete(null);
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
    // This node leading is reported once it is ready (notifyLeaderReady): until then its appends
    // are refused anyway.
    if (!self.equals(newLeaderId)) {
      synchronized (this) {
        toldLeading = false;
        applier.following(newLeaderId == null ? null : newLeaderId.toString());
      }
    }
  }

  /**
   * Tells the applier this node no longer leads, if it was told it leads and {@code stillLeads}
   * says it does not. A leader that steps down on its own (it heard from no majority) stays without
   * a known leader, and Ratis tells the state machine nothing until another node leads: meanwhile
   * the applier would go on taking calls that can never commit.
   */
  synchronized void noLongerLeading(BooleanSupplier stillLeads) {
    if (toldLeading && !stillLeads.getAsBoolean()) {
      toldLeading = false;
      applier.following(null);
    }
  }

  @Override
  public void close() {
    replayed.completeExceptionally(new IOException("the Ratis server closed"));
  }
}
