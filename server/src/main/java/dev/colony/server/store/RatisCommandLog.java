package dev.colony.server.store;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable command log: a Raft log kept by Apache Ratis, by a group of one node (a batch is
 * committed as soon as this node's log worker has it durable) or of several (once a majority has it
 * durable; only the leader appends, and every member applies every committed batch). Batches are
 * submitted to the group's division in-process, on the appending thread (no RPC, no RaftClient, no
 * thread hop); committed batches are applied by {@link ColonyStateMachine} on Ratis' state machine
 * updater thread, in log order, one at a time. The future {@link #append} returns completes on that
 * thread, right after the apply returned.
 *
 * <p>Files, under {@code dataDir/raft/<group uuid>/}: {@code current/} holds the log segments
 * ({@code log_<first>-<last>}, and {@code log_inprogress_<first>}) and Raft's metadata; {@code sm/}
 * holds snapshots. Every {@link Options#snapshotEvery} applied entries, the updater thread asks the
 * applier for a snapshot, writes it (temp file, fsync, rename), keeps the latest two and purges the
 * log segments the newest one covers, so under steady load the directory stays bounded (about two
 * snapshots plus {@code snapshotEvery} entries' worth of segments). If the applier returns null, no
 * snapshot is taken and the log is never purged. {@link #open} restores the latest snapshot and
 * applies every entry after it.
 *
 * <p>What each {@link SyncMode} loses:
 *
 * <ul>
 *   <li>Process crash (kill -9, OOM), either mode: nothing that was applied. Ratis' log worker
 *       hands an entry to the kernel ({@code FileChannel.write}) before it counts it as flushed,
 *       and only flushed entries are committed and applied; the page cache outlives the process.
 *   <li>Power cut or kernel crash, {@link SyncMode#ALWAYS}: nothing that was applied. The worker
 *       fsyncs ({@code FileChannel.force}) before counting entries as flushed, several entries per
 *       fsync when they queue up (group commit).
 *   <li>Power cut or kernel crash, {@link SyncMode#BATCH}: the batches applied since the last fsync
 *       that completed. Ratis' unsafe flush writes to the page cache, counts the entries as
 *       flushed, and queues an fsync on its own flush thread; fsyncs run back to back, so on a
 *       healthy disk that is the last few milliseconds of batches, but Ratis sets no bound: a
 *       stalled disk widens the window. A partly written last entry is dropped on restart.
 * </ul>
 *
 * <p>Threads (all Ratis', named {@code <peer>@group-<uuid tail>-...}): the log worker ({@code
 * SegmentedRaftLogWorker}), in BATCH its {@code -flush} thread, the {@code StateMachineUpdater}
 * (applies, snapshots, and completes the append futures, so callbacks chained on them run there
 * unless they ask for an executor), the leader's {@code LeaderStateImpl}, a cache eviction thread,
 * {@code JvmPauseMonitor} and the gRPC server's. Ratis needs an RPC server even for one node: it
 * binds {@link Options#address} (127.0.0.1, an ephemeral port, by default). {@link #close} stops
 * them all.
 */
public final class RatisCommandLog implements CommandLog {
  private static final Logger log = LoggerFactory.getLogger(RatisCommandLog.class);

  /**
   * A follower that has not heard from its leader for a random time in this range starts an
   * election. Ratis' 150-300 ms would have a loaded two-core machine (a GC pause, three JVMs on two
   * cores) elect leaders in turn; a second still finds a new leader in about two.
   */
  private static final Duration ELECTION_TIMEOUT_MIN = Duration.ofSeconds(1);

  private static final Duration ELECTION_TIMEOUT_MAX = Duration.ofSeconds(2);

  /**
   * How recently a majority must have answered the leader for it to serve a read: under the
   * shortest election timeout, since a follower that heard from its leader within that time votes
   * for nobody else (Ratis withholds such votes), so no other leader can have been elected yet.
   * Ratis' own leader lease uses the same bound (0.9 of the shortest election timeout).
   */
  private static final Duration READ_LEASE = ELECTION_TIMEOUT_MIN.multipliedBy(9).dividedBy(10);

  /**
   * Batches a member of a group keeps in flight at most. Each entry costs the group a round trip
   * and a sync on every follower, and the group commits only a few hundred entries a second,
   * pipelined or not (an in-JVM group of three here: ~130/s one at a time, ~500/s with 64 in
   * flight; one node ~6,700/s): commands that arrive meanwhile go out together in the next batch.
   */
  private static final int GROUP_APPENDS_IN_FLIGHT =
      Integer.getInteger("colony.raft.appendsInFlight", 2);

  /** How often a leader checks that it still hears from a majority. */
  private static final Duration LEADERSHIP_CHECK_EVERY = Duration.ofMillis(250);

  /** When a batch counts as durable, so when it is applied. See the class comment for losses. */
  public enum SyncMode {
    /** Applied after its log entry is fsynced. */
    ALWAYS,
    /** Applied after its log entry is written to the OS; fsynced shortly after, on its own. */
    BATCH
  }

  /** Colony's Raft group: fixed, so a restarted node finds its storage directory again. */
  public static final UUID DEFAULT_GROUP_ID =
      UUID.fromString("c0107e00-7a75-4c0d-8000-000000000001");

  /**
   * How the log is set up.
   *
   * @param dataDir the directory the log keeps its files in (under {@code raft/})
   * @param syncMode when a batch counts as durable
   * @param snapshotEvery Raft log entries between two snapshots: one per batch, plus the few the
   *     node logs itself (one when it starts)
   * @param segmentBytes the size at which a log segment is closed and a new one started; only
   *     closed segments are purged, so this bounds the log behind a snapshot
   * @param peerId this node's Raft id
   * @param address this node's Raft RPC address, host:port (port 0: ephemeral, for one node)
   * @param groupId the Raft group
   * @param openTimeout how long {@link #open} may take to replay before it gives up
   * @param peers every member of the group, this node included; empty for a group of this node
   *     alone (at {@code address})
   */
  public record Options(
      Path dataDir,
      SyncMode syncMode,
      long snapshotEvery,
      long segmentBytes,
      String peerId,
      String address,
      UUID groupId,
      Duration openTimeout,
      List<Member> peers) {
    public Options {
      peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
      if (!peers.isEmpty()) {
        String selfId = peerId;
        List<Member> members = peers;
        Member self =
            peers.stream()
                .filter(m -> m.id().equals(selfId))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "the node id " + selfId + " is not one of the peers " + members));
        address = self.address();
      }
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(syncMode, "syncMode");
      Objects.requireNonNull(peerId, "peerId");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(openTimeout, "openTimeout");
      if (snapshotEvery < 1) {
        throw new IllegalArgumentException("snapshotEvery must be >= 1: " + snapshotEvery);
      }
      if (segmentBytes < 1024) {
        throw new IllegalArgumentException("segmentBytes must be >= 1024: " + segmentBytes);
      }
    }

    /**
     * Node "n1" on 127.0.0.1 (ephemeral port), Colony's group, ALWAYS, a snapshot every 2,000
     * entries, 8 MiB segments.
     */
    public static Options defaults(Path dataDir) {
      return new Options(
          dataDir,
          SyncMode.ALWAYS,
          // A restart replays at most this many batches after the latest snapshot: 10,000 took
          // about 6 s in colony bench --durability; each snapshot costs a serialized state.
          2_000,
          8 << 20,
          "n1",
          "127.0.0.1:0",
          DEFAULT_GROUP_ID,
          Duration.ofMinutes(2),
          List.of());
    }

    /** A member of the group {@code peers} (this node is the one with id {@code selfId}). */
    public Options inGroup(String selfId, List<Member> peers) {
      return new Options(
          dataDir,
          syncMode,
          snapshotEvery,
          segmentBytes,
          selfId,
          address,
          groupId,
          openTimeout,
          peers);
    }

    /** True for a group of more than this node. */
    boolean replicated() {
      return peers.size() > 1;
    }

    public Options withSyncMode(SyncMode mode) {
      return new Options(
          dataDir, mode, snapshotEvery, segmentBytes, peerId, address, groupId, openTimeout, peers);
    }

    public Options withSnapshotEvery(long entries) {
      return new Options(
          dataDir, syncMode, entries, segmentBytes, peerId, address, groupId, openTimeout, peers);
    }

    public Options withSegmentBytes(long bytes) {
      return new Options(
          dataDir, syncMode, snapshotEvery, bytes, peerId, address, groupId, openTimeout, peers);
    }

    public Options withPeer(String id, String hostPort) {
      return new Options(
          dataDir,
          syncMode,
          snapshotEvery,
          segmentBytes,
          id,
          hostPort,
          groupId,
          openTimeout,
          peers);
    }

    public Options withGroupId(UUID id) {
      return new Options(
          dataDir, syncMode, snapshotEvery, segmentBytes, peerId, address, id, openTimeout, peers);
    }
  }

  private final Options options;
  private final RaftPeerId peerId;
  private final RaftGroupId groupId;

  /** One client id for all our requests; each gets its own call id (Ratis' retry cache key). */
  private final ClientId clientId = ClientId.randomId();

  private final AtomicLong callIds = new AtomicLong();

  /** Appends not yet applied, so that close() can fail them. */
  private final Map<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

  private volatile RaftServer server;
  private volatile RaftServer.Division division;
  private RaftClient client; // guarded by this

  /** Where appends go: the group's division itself if it takes requests, else the server. */
  private volatile RaftClientAsynchronousProtocol submitter;

  private volatile boolean closed;

  private volatile ColonyStateMachine stateMachine;

  /** Checks that a leader of a group still hears from a majority; null for a group of one. */
  private ScheduledExecutorService leadershipCheck; // guarded by this

  /** The term in which this node last asked itself to step down, so it asks once per term. */
  private volatile long steppedDownInTerm = -1;

  public RatisCommandLog(Path dataDir, SyncMode syncMode) {
    this(Options.defaults(dataDir).withSyncMode(syncMode));
  }

  public RatisCommandLog(Options options) {
    this.options = Objects.requireNonNull(options, "options");
    this.peerId = RaftPeerId.valueOf(options.peerId());
    this.groupId = RaftGroupId.valueOf(options.groupId());
  }

  @Override
  public void open(Applier applier) throws IOException {
    Objects.requireNonNull(applier, "applier");
    if (server != null || closed) {
      throw new IllegalStateException("open is called once, before close");
    }
    ColonyStateMachine stateMachine = new ColonyStateMachine(applier, peerId);
    this.stateMachine = stateMachine;
    RaftServer s =
        RaftServer.newBuilder()
            .setServerId(peerId)
            .setGroup(initialGroup())
            .setStateMachine(stateMachine)
            .setProperties(properties())
            .setOption(RaftStorage.StartupOption.RECOVER) // formats the directory if it is new
            .build();
    server = s;
    try {
      s.start();
      if (!options.replicated()) {
        // start() returns before the node has elected itself and applied the old entries. A
        // member of a larger group applies them as the leader sends them; it does not wait.
        stateMachine.replayed().get(options.openTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      // The server hands each request to a client thread pool and blocks until that thread has
      // queued it; the division (which implements the same interface) queues it on our thread,
      // one hop less per append.
      RaftServer.Division division = s.getDivision(groupId);
      this.division = division;
      submitter = division instanceof RaftClientAsynchronousProtocol p ? p : s;
      if (options.replicated()) {
        startLeadershipCheck();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new InterruptedIOException("interrupted while replaying the command log");
    } catch (ExecutionException | TimeoutException | IOException | RuntimeException e) {
      close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IOException("could not open the command log in " + options.dataDir(), cause);
    }
  }

  private RaftGroup initialGroup() {
    if (!options.replicated()) {
      return RaftGroup.valueOf(
          groupId, RaftPeer.newBuilder().setId(peerId).setAddress(options.address()).build());
    }
    return RaftGroup.valueOf(groupId, options.peers().stream().map(RatisCommandLog::peer).toList());
  }

  private static RaftPeer peer(Member member) {
    return RaftPeer.newBuilder().setId(member.id()).setAddress(member.address()).build();
  }

  private RaftProperties properties() {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    String address = options.address();
    int colon = address.lastIndexOf(':');
    GrpcConfigKeys.Server.setHost(p, address.substring(0, colon));
    GrpcConfigKeys.Server.setPort(p, Integer.parseInt(address.substring(colon + 1)));
    RaftServerConfigKeys.setStorageDir(p, List.of(options.dataDir().resolve("raft").toFile()));
    // Ratis' leader can log a commit-index entry after each commit, so that a member restarting
    // knows at once how far it may apply. Off: each such entry is one more write (and fsync, in
    // ALWAYS) on every member, queued between two batches: a group's round trip took about twice
    // as long with it. Durability does not change (a batch is acknowledged once a majority has
    // it durable either way); a restarted member applies past its snapshot once the leader tells
    // it the commit index, and one node of its own commits its whole log when it starts.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);

    if (options.replicated()) {
      RaftServerConfigKeys.Rpc.setTimeoutMin(
          p, TimeDuration.valueOf(ELECTION_TIMEOUT_MIN.toMillis(), TimeUnit.MILLISECONDS));
      RaftServerConfigKeys.Rpc.setTimeoutMax(
          p, TimeDuration.valueOf(ELECTION_TIMEOUT_MAX.toMillis(), TimeUnit.MILLISECONDS));
      // Reads (readIndex) through Raft's read index: the leader confirms it still leads, by its
      // lease (a majority answered within READ_LEASE) or else by a round of heartbeats, and the
      // read waits until the committed index it had then is applied. Nothing is logged.
      RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
      RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
      RaftServerConfigKeys.Read.setLeaderLeaseTimeoutRatio(
          p, (double) READ_LEASE.toMillis() / ELECTION_TIMEOUT_MIN.toMillis());
      // Appends in flight to each follower: Ratis' 8 stalls a leader that has more batches in
      // flight (the apply loop allows 256) until replies come back.
      GrpcConfigKeys.Server.setLeaderOutstandingAppendsMax(p, 128);
    } else {
      // A group of one elects itself: there is nobody to wait for before the first election.
      RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(
          p, TimeDuration.valueOf(10, TimeUnit.MILLISECONDS));
      RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(
          p, TimeDuration.valueOf(20, TimeUnit.MILLISECONDS));
    }
    // BATCH: count an entry as flushed once written to the OS, fsync on Ratis' flush thread.
    RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, options.syncMode() == SyncMode.BATCH);

    // Small segments, so that purging behind a snapshot frees space soon. Segments are cut at this
    // size; one big batch may exceed it (up to the write buffer size).
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(options.segmentBytes()));
    RaftServerConfigKeys.Log.setPreallocatedSize(
        p, SizeInBytes.valueOf(Math.min(1 << 20, options.segmentBytes())));

    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, options.snapshotEvery());
    RaftServerConfigKeys.Snapshot.setCreationGap(p, 1);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    // No snapshot on close: close stays quick, and replay is bounded by snapshotEvery anyway.
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
    // Purge every segment the snapshot covers, and purge as soon as there is a closed segment to
    // drop; a follower that falls behind the purged log is sent the snapshot instead.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);

    // Pipelined appends: many may be in flight. Beyond these limits an append fails at once
    // (ResourceUnavailableException) rather than waiting.
    RaftServerConfigKeys.Write.setElementLimit(p, 65_536);
    RaftServerConfigKeys.Write.setByteLimit(p, SizeInBytes.valueOf("256MB"));
    // We never retry a request, so the retry cache need not remember replies for long; it
    // holds one entry per append until it expires.
    RaftServerConfigKeys.RetryCache.setExpiryTime(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
    return p;
  }

  /**
   * A leader cut off from the others must stop leading, so that its clients go and find the new
   * leader instead of waiting on appends that can never commit. Ratis has such a check (a leader
   * that heard from no majority within the longest election timeout steps down), but it runs only
   * when the leader's event queue stays empty for that long, and every local append queues an
   * event: a leader its clients keep busy (sessions reopening, calls sent again) never runs it.
   * This check runs on a timer of its own instead, with the same rule. It also tells the applier
   * when this node stopped leading that way: Ratis tells the state machine only once another node
   * leads, which a cut-off node does not learn until the cut heals.
   */
  private synchronized void startLeadershipCheck() {
    if (closed || leadershipCheck != null) {
      return;
    }
    leadershipCheck =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "colony-raft-leadership-" + options.peerId());
              t.setDaemon(true);
              return t;
            });
    leadershipCheck.scheduleWithFixedDelay(
        this::checkLeadership,
        LEADERSHIP_CHECK_EVERY.toMillis(),
        LEADERSHIP_CHECK_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void checkLeadership() {
    try {
      RaftServer.Division d = division;
      RaftServer s = server;
      if (d == null || s == null || closed) {
        return;
      }
      DivisionInfo info = d.getInfo();
      if (!info.isLeader()) {
        stateMachine.noLongerLeading(() -> d.getInfo().isLeader());
        return;
      }
      long term = info.getCurrentTerm();
      RoleInfoProto role = info.getRoleInfoProto();
      long limit = ELECTION_TIMEOUT_MAX.toMillis();
      // A new leader has not had a round of replies yet; Ratis waits as long.
      if (term == steppedDownInTerm
          || !role.hasLeaderInfo()
          || role.getRoleElapsedTimeMs() < limit) {
        return;
      }
      Map<String, Long> silentFor = new HashMap<>();
      for (ServerRpcProto follower : role.getLeaderInfo().getFollowerInfoList()) {
        silentFor.put(
            RaftPeerId.valueOf(follower.getId().getId()).toString(),
            follower.getLastRpcElapsedTimeMs());
      }
      RaftConfiguration conf = d.getRaftConf();
      if (hearsMajority(conf.getCurrentPeers(), silentFor, limit)
          && (conf.getPreviousPeers().isEmpty()
              || hearsMajority(conf.getPreviousPeers(), silentFor, limit))) {
        return;
      }
      steppedDownInTerm = term;
      log.warn(
          "{} has heard from no majority of the group for {} ms: it stops leading (term {});"
              + " silent for (ms): {}",
          peerId,
          limit,
          term,
          silentFor);
      s.transferLeadershipAsync(
              new TransferLeadershipRequest(
                  ClientId.randomId(),
                  peerId,
                  groupId,
                  0,
                  null, // no new leader: step down
                  ELECTION_TIMEOUT_MAX.toMillis()))
          .whenComplete(
              (reply, e) -> {
                if (e != null || !reply.isSuccess()) {
                  steppedDownInTerm = -1; // still leading, still cut off: the next check asks again
                }
              });
    } catch (IOException | RuntimeException e) {
      // The next check tries again; a closing server ends up here too.
      log.debug("leadership check failed", e);
    }
  }

  /**
   * Whether this node and the members of {@code peers} heard within {@code limit} are a majority.
   */
  private boolean hearsMajority(
      Collection<RaftPeer> peers, Map<String, Long> silentFor, long limit) {
    int voters = 0;
    int heard = 0;
    for (RaftPeer p : peers) {
      voters++;
      String id = p.getId().toString();
      if (p.getId().equals(peerId) || silentFor.getOrDefault(id, Long.MAX_VALUE) <= limit) {
        heard++;
      }
    }
    return voters == 0 || 2 * heard > voters;
  }

  @Override
  public int appendsInFlightMax() {
    // One node syncs the entries that queued up together (group commit in its log worker).
    return options.replicated() ? GROUP_APPENDS_IN_FLIGHT : Integer.MAX_VALUE;
  }

  @Override
  public CompletableFuture<Void> append(ByteString batch) {
    Objects.requireNonNull(batch, "batch");
    RaftClientAsynchronousProtocol s = submitter;
    if (s == null || closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(closed ? "the log is closed" : "the log is not open"));
    }
    long callId = callIds.incrementAndGet();
    CompletableFuture<Void> result = new CompletableFuture<>();
    pending.put(callId, result);
    result.whenComplete((v, e) -> pending.remove(callId));
    if (closed) { // close() may have swept pending before we registered
      result.completeExceptionally(new IllegalStateException("the log is closed"));
      return result;
    }
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(peerId)
            .setGroupId(groupId)
            .setCallId(callId)
            // Our ByteString is immutable: Ratis' shaded one can wrap its bytes without a copy.
            .setMessage(
                Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.asReadOnlyByteBuffer())))
            .setType(RaftClientRequest.writeRequestType())
            .build();
    try {
      // Returns once the entry is in the log's queue, so one appending thread keeps its order.
      s.submitClientRequestAsync(request)
          .whenComplete(
              (reply, e) -> {
                if (e != null) {
                  result.completeExceptionally(notLeader(e));
                } else if (!reply.isSuccess()) {
                  result.completeExceptionally(failure(reply));
                } else {
                  result.complete(null);
                }
              });
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(notLeader(e));
    }
    return result;
  }

  @Override
  public CompletableFuture<Void> readIndex() {
    if (!options.replicated()) {
      // A group of one: every batch it applied is committed, and nobody else can lead.
      return CompletableFuture.completedFuture(null);
    }
    RaftClientAsynchronousProtocol s = submitter;
    RaftServer.Division d = division;
    if (s == null || d == null || closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(closed ? "the log is closed" : "the log is not open"));
    }
    if (!d.getInfo().isLeader()) {
      // Ratis would ask the leader for its read index (a follower read); Colony serves only on
      // the leader.
      return CompletableFuture.failedFuture(
          new NotLeaderException(peerId + " does not lead the group", null));
    }
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(peerId)
            .setGroupId(groupId)
            .setCallId(callIds.incrementAndGet())
            .setMessage(Message.EMPTY)
            .setType(RaftClientRequest.readRequestType())
            .build();
    try {
      return s.submitClientRequestAsync(request)
          .handle(
              (reply, e) -> {
                if (e != null) {
                  throw new CompletionException(notLeader(e));
                }
                if (!reply.isSuccess()) {
                  throw new CompletionException(failure(reply));
                }
                if (!heardFromMajority(d, READ_LEASE.toMillis())) {
                  throw new CompletionException(
                      new NotLeaderException(
                          peerId
                              + " has not heard from a majority of the group within "
                              + READ_LEASE.toMillis()
                              + " ms",
                          null));
                }
                return null;
              });
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(notLeader(e));
    }
  }

  /**
   * Whether {@code d} leads and a majority (itself included) answered it within {@code limitMs}.
   * Checked after Ratis confirmed a read index too: Ratis 3.2 skips the heartbeat round when no
   * entry was committed since the last confirmed read (ReadIndexHeartbeats' acked commit index), so
   * a leader cut off since then would serve reads from its stale state until it steps down.
   */
  private boolean heardFromMajority(RaftServer.Division d, long limitMs) {
    DivisionInfo info = d.getInfo();
    if (!info.isLeader()) {
      return false;
    }
    RoleInfoProto role = info.getRoleInfoProto();
    if (!role.hasLeaderInfo()) {
      return false;
    }
    if (role.getRoleElapsedTimeMs() < limitMs) {
      // Elected within the limit: a majority voted for it then.
      return true;
    }
    Map<String, Long> silentFor = new HashMap<>();
    for (ServerRpcProto follower : role.getLeaderInfo().getFollowerInfoList()) {
      silentFor.put(
          RaftPeerId.valueOf(follower.getId().getId()).toString(),
          follower.getLastRpcElapsedTimeMs());
    }
    RaftConfiguration conf = d.getRaftConf();
    return hearsMajority(conf.getCurrentPeers(), silentFor, limitMs)
        && (conf.getPreviousPeers().isEmpty()
            || hearsMajority(conf.getPreviousPeers(), silentFor, limitMs));
  }

  @Override
  public CompletableFuture<Void> appendViaLeader(ByteString batch) {
    if (!options.replicated()) {
      return append(batch);
    }
    RaftClient client;
    try {
      client = client();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client
        .async()
        .send(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.asReadOnlyByteBuffer())))
        .thenAccept(
            reply -> {
              if (!reply.isSuccess()) {
                throw new CompletionException(failure(reply));
              }
            });
  }

  /** A client of the group, for what a follower sends the leader and for membership changes. */
  private synchronized RaftClient client() {
    if (closed) {
      throw new IllegalStateException("the log is closed");
    }
    if (client == null) {
      client =
          RaftClient.newBuilder()
              .setProperties(clientProperties())
              .setRaftGroup(currentGroup())
              // Until the log closes: a node announces itself whenever a leader can take it.
              .setRetryPolicy(
                  RetryPolicies.retryForeverWithSleep(
                      TimeDuration.valueOf(500, TimeUnit.MILLISECONDS)))
              .build();
    }
    return client;
  }

  private RaftGroup currentGroup() {
    RaftServer.Division d = division;
    if (d == null) {
      return initialGroup();
    }
    return RaftGroup.valueOf(groupId, d.getRaftConf().getAllPeers());
  }

  @Override
  public GroupView group() {
    RaftServer.Division d = division;
    if (d == null || !options.replicated()) {
      return null;
    }
    DivisionInfo info = d.getInfo();
    RaftPeerId leader = info.getLeaderId();
    Map<String, Long> commits = new HashMap<>();
    for (CommitInfoProto commit : d.getCommitInfos()) {
      commits.put(
          RaftPeerId.valueOf(commit.getServer().getId()).toString(), commit.getCommitIndex());
    }
    long commitIndex = d.getRaftLog().getLastCommittedIndex();
    List<MemberView> members = new ArrayList<>();
    for (RaftPeer p : d.getRaftConf().getAllPeers()) {
      String id = p.getId().toString();
      String role;
      if (p.getId().equals(peerId)) {
        role = info.getCurrentRole().name();
      } else if (p.getId().equals(leader)) {
        role = "LEADER";
      } else if (info.isLeader()) {
        role = p.getStartupRole() == RaftPeerRole.LISTENER ? "LISTENER" : "FOLLOWER";
      } else {
        role = "UNKNOWN"; // only the leader hears from every member
      }
      long commit = p.getId().equals(peerId) ? commitIndex : commits.getOrDefault(id, -1L);
      members.add(new MemberView(id, p.getAddress(), role, commit));
    }
    members.sort(java.util.Comparator.comparing(MemberView::id));
    return new GroupView(
        peerId.toString(),
        leader == null ? null : leader.toString(),
        info.getCurrentTerm(),
        commitIndex,
        members);
  }

  @Override
  public CompletableFuture<GroupView> changeMembers(List<Member> add, List<String> remove) {
    if (!options.replicated()) {
      return CommandLog.super.changeMembers(add, remove);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          Map<String, RaftPeer> next = new LinkedHashMap<>();
          for (RaftPeer p : currentGroup().getPeers()) {
            next.put(p.getId().toString(), p);
          }
          for (Member m : add) {
            next.put(m.id(), peer(m));
          }
          for (String id : remove) {
            if (next.remove(id) == null) {
              throw new IllegalArgumentException(
                  "there is no node " + id + " in the group; its nodes are " + next.keySet());
            }
          }
          if (next.isEmpty()) {
            throw new IllegalArgumentException("a group cannot remove all its nodes");
          }
          try (RaftClient admin =
              RaftClient.newBuilder()
                  .setProperties(clientProperties())
                  .setRaftGroup(currentGroup())
                  .setRetryPolicy(
                      RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                          60, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS)))
                  .build()) {
            RaftClientReply reply = admin.admin().setConfiguration(new ArrayList<>(next.values()));
            if (!reply.isSuccess()) {
              throw new CompletionException(failure(reply));
            }
          } catch (IOException e) {
            throw new CompletionException(e);
          }
          return group();
        });
  }

  private static RaftProperties clientProperties() {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    return p;
  }

  /** Ratis' ways of saying "not the leader", as one exception the apply loop knows. */
  private static Throwable notLeader(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof org.apache.ratis.protocol.exceptions.NotLeaderException
        || cause instanceof LeaderNotReadyException
        || cause instanceof LeaderSteppingDownException) {
      return new NotLeaderException(cause.getMessage(), cause);
    }
    return e;
  }

  private static Throwable failure(RaftClientReply reply) {
    return reply.getException() != null
        ? notLeader(reply.getException())
        : new IOException("the command log refused the batch: " + reply);
  }

  @Override
  public void close() {
    closed = true;
    RaftClient c;
    synchronized (this) {
      c = client;
      client = null;
      if (leadershipCheck != null) {
        leadershipCheck.shutdownNow();
      }
    }
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // Only its pending announcement is lost, which the next start sends again.
      }
    }
    RaftServer s = server;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // Nothing to do but report it through the appends that fail below.
        failPending(e);
      }
    }
    failPending(new IllegalStateException("the log is closed"));
  }

  private void failPending(Throwable e) {
    for (CompletableFuture<Void> f : pending.values()) {
      f.completeExceptionally(e);
    }
  }
}
