package dev.colony.server.core;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueAckRequest;
import dev.colony.proto.v1.QueueAckResponse;
import dev.colony.proto.v1.QueueClearRequest;
import dev.colony.proto.v1.QueueClearResponse;
import dev.colony.proto.v1.QueueDeliverySnapshot;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueueGetResponse;
import dev.colony.proto.v1.QueueGetWaiterSnapshot;
import dev.colony.proto.v1.QueueInfoRequest;
import dev.colony.proto.v1.QueueInfoResponse;
import dev.colony.proto.v1.QueueItemSnapshot;
import dev.colony.proto.v1.QueueJoinRequest;
import dev.colony.proto.v1.QueueJoinResponse;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.QueueOptions;
import dev.colony.proto.v1.QueuePosition;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.QueuePutResponse;
import dev.colony.proto.v1.QueuePutWaiterSnapshot;
import dev.colony.proto.v1.QueueRangeItem;
import dev.colony.proto.v1.QueueRangeRequest;
import dev.colony.proto.v1.QueueRangeResponse;
import dev.colony.proto.v1.QueueRemoveRequest;
import dev.colony.proto.v1.QueueRemoveResponse;
import dev.colony.proto.v1.QueueSnapshot;
import dev.colony.proto.v1.QueueTaskDoneRequest;
import dev.colony.proto.v1.QueueTaskDoneResponse;
import dev.colony.proto.v1.QueueUnackedSnapshot;
import dev.colony.proto.v1.WaiterSnapshot;
import dev.colony.server.core.QueueItems.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A QUEUE with the semantics of Python's queue module (FIFO, LIFO or PRIORITY; optional max size;
 * task_done/join of JoinableQueue) plus explicit acknowledgement: an item taken without auto_ack
 * stays held by the taker's session until acknowledged, and goes back to the head of the queue if
 * the session ends first.
 *
 * <p>Invariants: getters wait only while the queue is empty, and putters only while it is full, so
 * a put hands its item straight to the oldest getter and a get admits the oldest putter.
 */
final class QueueObject extends SharedObject {
  private final QueueKind kind;
  private final long maxSize;
  private final QueueItems items;
  private final WaiterQueue<GetWaiter> getters = new WaiterQueue<>();
  private final WaiterQueue<PutWaiter> putters = new WaiterQueue<>();
  private final WaiterQueue<JoinWaiter> joiners = new WaiterQueue<>();

  /** Items delivered and not yet acknowledged, per session, by delivery id in delivery order. */
  private final Map<Session, HeldDeliveries> unacked = new LinkedHashMap<>();

  private long unackedCount;

  /** JoinableQueue's unfinished_tasks: items put and not yet marked task_done. */
  private long unfinished;

  QueueObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
    if (request.getOptionsCase() != ObjectCreateRequest.OptionsCase.QUEUE
        && request.getOptionsCase() != ObjectCreateRequest.OptionsCase.OPTIONS_NOT_SET) {
      throw CoreException.invalid(
          "QUEUE '" + name + "' takes queue options, got " + request.getOptionsCase());
    }
    QueueOptions options = request.getQueue();
    if (options.getKind() == QueueKind.UNRECOGNIZED) {
      throw CoreException.invalid("QUEUE '" + name + "' has an unknown kind");
    }
    if (options.getMaxSize() < 0) {
      throw CoreException.invalid(
          "QUEUE '" + name + "' needs max_size 0 (unbounded) or more, got " + options.getMaxSize());
    }
    this.kind =
        options.getKind() == QueueKind.QUEUE_KIND_UNSPECIFIED ? QueueKind.FIFO : options.getKind();
    this.maxSize = options.getMaxSize();
    this.items = QueueItems.of(kind);
  }

  /** Items waiting to be taken (not counting those delivered and not yet acknowledged). */
  long depth() {
    return items.size();
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder()
        .setName(name)
        .setType(type)
        .setSize(items.size())
        .setWaiters(waiterCount())
        .setDetail(kind + (maxSize > 0 ? " maxsize=" + maxSize : " unbounded"))
        .build();
  }

  @Override
  public void checkOptions(ObjectCreateRequest request) {
    QueueOptions options = request.getQueue();
    QueueKind wantedKind = options.getKind();
    long wantedMax = options.getMaxSize();
    boolean kindDiffers = wantedKind != QueueKind.QUEUE_KIND_UNSPECIFIED && wantedKind != kind;
    boolean maxDiffers = wantedMax != 0 && wantedMax != maxSize;
    if (kindDiffers || maxDiffers) {
      throw optionsConflict(
          "kind=" + kind + " max_size=" + maxSize, "kind=" + wantedKind + " max_size=" + wantedMax);
    }
  }

  @Override
  public void releaseSession(Session session) {
    HeldDeliveries held = unacked.remove(session);
    if (held != null) {
      unackedCount -= held.size();
      requeueAtHead(held.items());
    }
  }

  @Override
  public void delete() {
    for (WaiterQueue<? extends Waiter> queue : List.of(getters, putters, joiners)) {
      Waiter waiter;
      while ((waiter = queue.poll()) != null) {
        waiter.finish();
        waiter.call().fail(deleted());
      }
    }
    for (Session session : unacked.keySet()) {
      session.unhold(this);
    }
    unacked.clear();
    unackedCount = 0;
  }

  // ---- operations -----------------------------------------------------------------------

  public void put(CallContext ctx, QueuePutRequest request) {
    WaitTimeouts.check(request.hasTimeoutMs(), request.getTimeoutMs());
    if (request.getGiveBack()) {
      giveBack(ctx, request);
      return;
    }
    if (request.getMoreItemsCount() > 0) {
      putMany(ctx, request);
      return;
    }
    long priority = kind == QueueKind.PRIORITY ? request.getPriority() : 0;
    Item item = items.newItem(request.getItem(), priority);
    long size = sizeOf(item);
    if (isFull() || !putters.isEmpty()) {
      if (WaitTimeouts.isNoWait(request.hasTimeoutMs(), request.getTimeoutMs())) {
        ctx.reply(r -> r.setQueuePut(QueuePutResponse.newBuilder().setAccepted(false)));
        return;
      }
      env.checkWaiters(ctx, this, waiterCount());
      // A blocked put's item is on the heap already, so it counts from now, not from admission.
      checkStore(size);
      stored(size);
      PutWaiter waiter = new PutWaiter(ctx, item);
      putters.add(waiter);
      env.park(waiter, CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs()));
      return;
    }
    GetWaiter next = getters.peek();
    if (next == null) {
      checkItemLimit();
    }
    // Only an item handed to an auto-acknowledging getter is never stored.
    if (next == null || !next.autoAck) {
      checkStore(size);
    }
    stored(size);
    accept(item);
    ctx.reply(r -> r.setQueuePut(QueuePutResponse.newBuilder().setAccepted(true)));
  }

  public void get(CallContext ctx, QueueGetRequest request) {
    WaitTimeouts.check(request.hasTimeoutMs(), request.getTimeoutMs());
    if (request.getMaxItems() > 1) {
      drain(ctx, request);
      return;
    }
    Item item = items.poll();
    if (item != null) {
      deliver(ctx, item, request.getAutoAck());
      admitPutters();
      return;
    }
    if (WaitTimeouts.isNoWait(request.hasTimeoutMs(), request.getTimeoutMs())) {
      ctx.reply(r -> r.setQueueGet(QueueGetResponse.newBuilder().setHasItem(false)));
      return;
    }
    env.checkWaiters(ctx, this, waiterCount());
    GetWaiter waiter = new GetWaiter(ctx, request.getAutoAck());
    getters.add(waiter);
    env.park(waiter, CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs()));
  }

  /**
   * Items put in one call (addAll): they go in, in order, while there is room and the limits allow;
   * the first that does not fit ends the call, which never waits. Only a first item over a limit is
   * an error, so a failure reply always means nothing went in.
   */
  private void putMany(CallContext ctx, QueuePutRequest request) {
    if (request.hasTimeoutMs() && request.getTimeoutMs() != 0) {
      throw CoreException.invalid(
          "a QUEUE put of several items never waits: leave timeout_ms unset or 0");
    }
    int total = 1 + request.getMoreItemsCount();
    int accepted = 0;
    while (accepted < total && !isFull() && putters.isEmpty()) {
      int more = accepted - 1;
      Payload payload = more < 0 ? request.getItem() : request.getMoreItems(more);
      long priority = 0;
      if (kind == QueueKind.PRIORITY) {
        priority =
            more < 0
                ? request.getPriority()
                : more < request.getMorePrioritiesCount() ? request.getMorePriorities(more) : 0;
      }
      Item item = items.newItem(payload, priority);
      long size = sizeOf(item);
      GetWaiter next = getters.peek();
      try {
        if (next == null) {
          checkItemLimit();
        }
        if (next == null || !next.autoAck) {
          checkStore(size);
        }
      } catch (CoreException e) {
        if (accepted == 0) {
          throw e;
        }
        break; // the checks change nothing: the items so far stay in, the rest are refused
      }
      stored(size);
      accept(item);
      accepted++;
    }
    int count = accepted;
    ctx.reply(
        r ->
            r.setQueuePut(
                QueuePutResponse.newBuilder().setAccepted(count == total).setAcceptedCount(count)));
  }

  /**
   * An item this session took with auto_ack comes back unused: it goes to the head as a requeued
   * delivery would. It was counted for join() when it was put, and its room is its own.
   */
  private void giveBack(CallContext ctx, QueuePutRequest request) {
    if (request.getMoreItemsCount() > 0) {
      throw CoreException.invalid("a QUEUE give_back carries one item, not more_items");
    }
    Item item =
        Item.of(request.getItem(), kind == QueueKind.PRIORITY ? request.getPriority() : 0, 0);
    stored(sizeOf(item));
    requeueAtHead(List.of(item));
    ctx.reply(r -> r.setQueuePut(QueuePutResponse.newBuilder().setAccepted(true)));
  }

  /**
   * Takes up to max_items waiting items in one call (drainTo), removed for good; never waits. The
   * reply stays under a page's byte budget (at least one item), so a drain of a deep queue is a few
   * calls, never one message too large.
   */
  private void drain(CallContext ctx, QueueGetRequest request) {
    if (!request.getAutoAck()) {
      throw CoreException.invalid("a QUEUE get of several items (max_items) needs auto_ack");
    }
    if (!request.hasTimeoutMs() || request.getTimeoutMs() != 0) {
      throw CoreException.invalid("a QUEUE get of several items (max_items) needs timeout_ms 0");
    }
    QueueGetResponse.Builder response = QueueGetResponse.newBuilder();
    int taken = 0;
    long bytes = 0;
    Item item;
    while (taken < request.getMaxItems()
        && bytes < Paging.PAGE_BYTE_BUDGET
        && (item = items.poll()) != null) {
      stored(-sizeOf(item));
      if (taken == 0) {
        response.setHasItem(true).setItem(item.payload()).setPriority(item.priority());
      } else {
        response.addMoreItems(item.payload());
      }
      bytes += item.encoded().length;
      taken++;
    }
    if (taken > 0) {
      admitPutters();
    }
    ctx.reply(r -> r.setQueueGet(response));
  }

  /**
   * Acknowledges (or gives back) held deliveries. One id, the common case, touches only the
   * session's deliveries; several are sorted in an array (delivery ids grow with every delivery, so
   * that is the delivery order a requeue restores). Every id is checked before anything changes, so
   * a bad id loses nothing.
   */
  public void ack(CallContext ctx, QueueAckRequest request) {
    Session session = ctx.session();
    HeldDeliveries held = unacked.get(session);
    int count = request.getDeliveryIdsCount();
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = request.getDeliveryIds(i);
    }
    if (count > 1) {
      Arrays.sort(ids);
      int distinct = 1;
      for (int i = 1; i < count; i++) {
        if (ids[i] != ids[distinct - 1]) {
          ids[distinct++] = ids[i];
        }
      }
      count = distinct;
    }
    for (int i = 0; i < count; i++) {
      if (held == null || !held.contains(ids[i])) {
        throw unknownDelivery(ids[i], session);
      }
    }
    boolean requeue = request.getRequeue();
    List<Item> requeued = requeue ? new ArrayList<>(count) : null;
    for (int i = 0; i < count; i++) {
      Item item = held.remove(ids[i]);
      if (requeue) {
        requeued.add(item);
      } else {
        stored(-sizeOf(item));
      }
    }
    unackedCount -= count;
    if (held != null && held.isEmpty()) {
      unacked.remove(session);
      session.unhold(this);
    }
    if (requeue) {
      requeueAtHead(requeued);
    }
    int acknowledged = count;
    ctx.reply(r -> r.setQueueAck(QueueAckResponse.newBuilder().setAcknowledged(acknowledged)));
  }

  private CoreException unknownDelivery(long id, Session session) {
    return CoreException.notFound(
        ErrorReason.UNKNOWN_DELIVERY,
        "delivery "
            + Long.toUnsignedString(id)
            + " of QUEUE '"
            + name
            + "' is not held by session "
            + session.label()
            + " (already acknowledged, or delivered to another session)");
  }

  public void taskDone(CallContext ctx, QueueTaskDoneRequest request) {
    if (unfinished <= 0) {
      throw CoreException.precondition(
          ErrorReason.TASK_DONE_OVERFLOW,
          "task_done() called on QUEUE '"
              + name
              + "' more times than items were put; every call must match one item taken");
    }
    unfinished--;
    if (unfinished == 0) {
      releaseJoiners();
    }
    long left = unfinished;
    ctx.reply(r -> r.setQueueTaskDone(QueueTaskDoneResponse.newBuilder().setUnfinished(left)));
  }

  public void join(CallContext ctx, QueueJoinRequest request) {
    WaitTimeouts.check(request.hasTimeoutMs(), request.getTimeoutMs());
    if (unfinished == 0) {
      replyJoin(ctx, true);
      return;
    }
    if (WaitTimeouts.isNoWait(request.hasTimeoutMs(), request.getTimeoutMs())) {
      replyJoin(ctx, false);
      return;
    }
    env.checkWaiters(ctx, this, waiterCount());
    JoinWaiter waiter = new JoinWaiter(ctx);
    joiners.add(waiter);
    env.park(waiter, CoreEnv.deadline(ctx.now(), request.hasTimeoutMs(), request.getTimeoutMs()));
  }

  public void queueInfo(CallContext ctx, QueueInfoRequest request) {
    QueueInfoResponse info =
        QueueInfoResponse.newBuilder()
            .setSize(items.size())
            .setMaxSize(maxSize)
            .setKind(kind)
            .setUnfinished(unfinished)
            .setUnacked(unackedCount)
            .setWaitingGetters(getters.size())
            .setWaitingPutters(putters.size())
            .build();
    ctx.reply(r -> r.setQueueInfo(info));
  }

  /** A page of the waiting items in serving order, left in place (iterators, peek). */
  public void range(CallContext ctx, QueueRangeRequest request) {
    int pageSize = Paging.pageSize(request.getPageSize());
    Item after = request.hasCursor() ? rank(request.getCursor()) : null;
    List<Item> page = items.page(after, pageSize, Paging.PAGE_BYTE_BUDGET);
    QueueRangeResponse.Builder response = QueueRangeResponse.newBuilder();
    for (Item item : page) {
      response.addItems(
          QueueRangeItem.newBuilder().setItem(item.payload()).setPosition(position(item)));
    }
    if (!page.isEmpty() && items.hasAfter(page.get(page.size() - 1))) {
      response.setNextCursor(position(page.get(page.size() - 1)));
    }
    ctx.reply(r -> r.setQueueRange(response));
  }

  /** Removes the waiting item at a position, if it is still there (Iterator.remove()). */
  public void remove(CallContext ctx, QueueRemoveRequest request) {
    if (!request.hasPosition()) {
      throw CoreException.invalid(
          "a QUEUE remove needs the position of the item, as a QueueRange page gave it");
    }
    Item found = items.remove(rank(request.getPosition()));
    boolean removed = found != null;
    if (removed) {
      stored(-sizeOf(found));
      removedUntaken(1);
    }
    ctx.reply(r -> r.setQueueRemove(QueueRemoveResponse.newBuilder().setRemoved(removed)));
  }

  /**
   * Removes every waiting item; items delivered and not yet acknowledged stay with their takers.
   */
  public void clear(CallContext ctx, QueueClearRequest request) {
    int removed = items.size();
    // What sizeOf counts, summed over the items.
    stored(-(items.encodedBytes() + (long) removed * Limits.ENTRY_OVERHEAD_BYTES));
    items.clear();
    removedUntaken(removed);
    ctx.reply(r -> r.setQueueClear(QueueClearResponse.newBuilder().setRemoved(removed)));
  }

  /**
   * Items left the queue without being taken: nobody will mark them done, so they stop counting for
   * join(), and their room goes to waiting putters.
   */
  private void removedUntaken(int count) {
    if (count == 0) {
      return;
    }
    unfinished = Math.max(0, unfinished - count);
    if (unfinished == 0) {
      releaseJoiners();
    }
    admitPutters();
  }

  private void releaseJoiners() {
    JoinWaiter joiner;
    while ((joiner = joiners.poll()) != null) {
      joiner.finish();
      replyJoin(joiner.call(), true);
    }
  }

  private Item rank(QueuePosition position) {
    if (!items.issued(position.getSeq())) {
      throw Paging.unknownCursor(
          this, "(priority " + position.getPriority() + ", seq " + position.getSeq() + ")");
    }
    return Item.at(position.getPriority(), position.getSeq());
  }

  private static QueuePosition position(Item item) {
    return QueuePosition.newBuilder().setPriority(item.priority()).setSeq(item.seq()).build();
  }

  // ---- snapshots ------------------------------------------------------------------------

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    QueueSnapshot.Builder queue =
        QueueSnapshot.newBuilder()
            .setKind(kind)
            .setMaxSize(maxSize)
            .setTailSeq(items.tailSeq())
            .setHeadSeq(items.headSeq())
            .setUnackedCount(unackedCount)
            .setUnfinished(unfinished);
    items.forEach(item -> queue.addItems(toSnapshot(item)));
    unacked.forEach(
        (session, held) -> {
          QueueUnackedSnapshot.Builder deliveries =
              QueueUnackedSnapshot.newBuilder().setSessionId(writer.sessionId(session));
          held.forEach(
              (id, item) ->
                  deliveries.addDeliveries(
                      QueueDeliverySnapshot.newBuilder()
                          .setDeliveryId(id)
                          .setItem(toSnapshot(item))));
          queue.addUnackedBySession(deliveries);
        });
    for (GetWaiter getter : getters) {
      queue.addGetters(
          QueueGetWaiterSnapshot.newBuilder()
              .setWaiter(writer.waiter(getter))
              .setAutoAck(getter.autoAck));
    }
    for (PutWaiter putter : putters) {
      queue.addPutters(
          QueuePutWaiterSnapshot.newBuilder()
              .setWaiter(writer.waiter(putter))
              .setItem(toSnapshot(putter.item)));
    }
    for (JoinWaiter joiner : joiners) {
      queue.addJoiners(writer.waiter(joiner));
    }
    snapshot.setQueue(queue);
  }

  static QueueObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env, SnapshotReader reader) {
    QueueSnapshot state = snapshot.getQueue();
    QueueObject queue =
        new QueueObject(
            SharedObject.createRequest(snapshot)
                .setQueue(
                    QueueOptions.newBuilder()
                        .setKind(state.getKind())
                        .setMaxSize(state.getMaxSize()))
                .build(),
            env);
    queue.restore(state, reader);
    return queue;
  }

  private void restore(QueueSnapshot state, SnapshotReader reader) {
    List<Item> restored = new ArrayList<>(state.getItemsCount());
    for (QueueItemSnapshot item : state.getItemsList()) {
      restored.add(fromSnapshot(item));
    }
    items.restore(restored, state.getTailSeq(), state.getHeadSeq());
    for (QueueUnackedSnapshot held : state.getUnackedBySessionList()) {
      HeldDeliveries deliveries = new HeldDeliveries();
      for (QueueDeliverySnapshot delivery : held.getDeliveriesList()) {
        deliveries.add(delivery.getDeliveryId(), fromSnapshot(delivery.getItem()));
      }
      unacked.put(reader.session(held.getSessionId()), deliveries);
    }
    unackedCount = state.getUnackedCount();
    unfinished = state.getUnfinished();
    for (QueueGetWaiterSnapshot getter : state.getGettersList()) {
      getters.add(reader.waiter(getter.getWaiter(), c -> new GetWaiter(c, getter.getAutoAck())));
    }
    for (QueuePutWaiterSnapshot putter : state.getPuttersList()) {
      Item item = fromSnapshot(putter.getItem());
      putters.add(reader.waiter(putter.getWaiter(), c -> new PutWaiter(c, item)));
    }
    for (WaiterSnapshot joiner : state.getJoinersList()) {
      joiners.add(reader.waiter(joiner, JoinWaiter::new));
    }
    long bytes = 0;
    for (Item item : restored) {
      bytes += sizeOf(item);
    }
    for (HeldDeliveries held : unacked.values()) {
      for (Item item : held.items()) {
        bytes += sizeOf(item);
      }
    }
    for (PutWaiter putter : putters) {
      bytes += sizeOf(putter.item);
    }
    stored(bytes);
  }

  private static QueueItemSnapshot toSnapshot(Item item) {
    return QueueItemSnapshot.newBuilder()
        .setPayload(item.payload())
        .setPriority(item.priority())
        .setSeq(item.seq())
        .build();
  }

  private static Item fromSnapshot(QueueItemSnapshot item) {
    return Item.of(item.getPayload(), item.getPriority(), item.getSeq());
  }

  // ---- internals ------------------------------------------------------------------------

  private int waiterCount() {
    return getters.size() + putters.size() + joiners.size();
  }

  /**
   * What an item counts as stored: waiting, delivered and not yet acknowledged, or held by a
   * blocked put.
   */
  private static long sizeOf(Item item) {
    return Limits.storedSize(item.encoded().length);
  }

  private boolean isFull() {
    return maxSize > 0 && items.size() >= maxSize;
  }

  /** The coordinator's own bound, for queues without max_size (or a larger one). */
  private void checkItemLimit() {
    long limit = env.limits().maxItemsPerContainer();
    if (items.size() + unackedCount >= limit) {
      throw CoreException.exhausted(
          ErrorReason.LIMIT_EXCEEDED,
          "QUEUE '"
              + name
              + "' already holds "
              + (items.size() + unackedCount)
              + " items (limit "
              + limit
              + "); consume some first");
    }
  }

  /** A put that has room: it counts as unfinished and goes to the oldest getter, if any. */
  private void accept(Item item) {
    unfinished++;
    GetWaiter getter = getters.poll();
    if (getter != null) {
      getter.finish();
      deliver(getter.call(), item, getter.autoAck);
    } else {
      items.add(item);
    }
  }

  /** Room was made: admit waiting putters, oldest first, while there is room. */
  private void admitPutters() {
    PutWaiter putter;
    while (!isFull() && (putter = putters.poll()) != null) {
      putter.finish();
      accept(putter.item);
      putter.call().reply(r -> r.setQueuePut(QueuePutResponse.newBuilder().setAccepted(true)));
    }
  }

  /** Gives items back so that {@code inOrder.get(0)} is served next; getters are served first. */
  private void requeueAtHead(List<Item> inOrder) {
    for (int i = inOrder.size() - 1; i >= 0; i--) {
      items.addFirst(inOrder.get(i));
    }
    GetWaiter getter;
    while (!items.isEmpty() && (getter = getters.poll()) != null) {
      getter.finish();
      deliver(getter.call(), items.poll(), getter.autoAck);
    }
    admitPutters();
  }

  private void deliver(CallContext ctx, Item item, boolean autoAck) {
    long deliveryId = 0;
    if (autoAck) {
      stored(-sizeOf(item));
    } else {
      deliveryId = env.nextDeliveryId();
      unacked.computeIfAbsent(ctx.session(), s -> new HeldDeliveries()).add(deliveryId, item);
      unackedCount++;
      ctx.session().hold(this);
    }
    long id = deliveryId;
    ctx.reply(
        r ->
            r.setQueueGet(
                QueueGetResponse.newBuilder()
                    .setHasItem(true)
                    .setItem(item.payload())
                    .setPriority(item.priority())
                    .setDeliveryId(id)));
  }

  private static void replyJoin(CallContext ctx, boolean completed) {
    ctx.reply(r -> r.setQueueJoin(QueueJoinResponse.newBuilder().setCompleted(completed)));
  }

  private final class GetWaiter extends Waiter {
    final boolean autoAck;

    GetWaiter(CallContext call, boolean autoAck) {
      super(call);
      this.autoAck = autoAck;
    }

    @Override
    protected void onTimeout(long now) {
      getters.remove(this);
      call.reply(r -> r.setQueueGet(QueueGetResponse.newBuilder().setHasItem(false)));
    }

    @Override
    protected void onCancel() {
      getters.remove(this);
    }
  }

  private final class PutWaiter extends Waiter {
    final Item item;

    PutWaiter(CallContext call, Item item) {
      super(call);
      this.item = item;
    }

    @Override
    protected void onTimeout(long now) {
      putters.remove(this);
      stored(-sizeOf(item));
      call.reply(r -> r.setQueuePut(QueuePutResponse.newBuilder().setAccepted(false)));
    }

    @Override
    protected void onCancel() {
      putters.remove(this);
      stored(-sizeOf(item));
    }
  }

  private final class JoinWaiter extends Waiter {
    JoinWaiter(CallContext call) {
      super(call);
    }

    @Override
    protected void onTimeout(long now) {
      joiners.remove(this);
      replyJoin(call, false);
    }

    @Override
    protected void onCancel() {
      joiners.remove(this);
    }
  }
}
