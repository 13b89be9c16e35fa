package dev.colony.client.internal;

import dev.colony.client.ColonyQueue;
import dev.colony.client.ColonyQueueAsync;
import dev.colony.client.Delivery;
import dev.colony.client.QueueOptions;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueAckRequest;
import dev.colony.proto.v1.QueueClearRequest;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueueGetResponse;
import dev.colony.proto.v1.QueueInfoRequest;
import dev.colony.proto.v1.QueueInfoResponse;
import dev.colony.proto.v1.QueueJoinRequest;
import dev.colony.proto.v1.QueuePosition;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.QueuePutResponse;
import dev.colony.proto.v1.QueueRangeItem;
import dev.colony.proto.v1.QueueRangeRequest;
import dev.colony.proto.v1.QueueRangeResponse;
import dev.colony.proto.v1.QueueRemoveRequest;
import dev.colony.proto.v1.QueueTaskDoneRequest;
import dev.colony.proto.v1.Reply;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A queue proxy. Plain take/poll are one call each way: the coordinator removes the item when it
 * answers (auto_ack), and the session's retry cache answers a take sent again after a lost reply
 * with the same item. takeDelivery holds the item until {@link Delivery#ack}. Reading in place
 * (peek, iterator and what AbstractQueue builds on it) pages through the queue.
 */
final class QueueImpl<T> extends AbstractQueue<T> implements ColonyQueue<T> {
  private final String name;
  private final Calls calls;
  private final Codec<T> codec;
  private final QueueOptions options;
  private final int pageSize;

  QueueImpl(String name, Calls calls, Codec<T> codec, QueueOptions options, int pageSize) {
    this.name = name;
    this.calls = calls;
    this.codec = codec;
    this.options = options;
    this.pageSize = pageSize;
  }

  @Override
  public String name() {
    return name;
  }

  // ---- insertion ------------------------------------------------------------------------

  @Override
  public void put(T item) throws InterruptedException {
    putWithPriority(item, defaultPriority(item), Calls.FOREVER);
  }

  @Override
  public void put(T item, long priority) throws InterruptedException {
    requirePriorityQueue();
    putWithPriority(item, priority, Calls.FOREVER);
  }

  @Override
  public boolean offer(T item) {
    return offerNow(item, defaultPriority(item));
  }

  @Override
  public boolean offer(T item, long priority) {
    requirePriorityQueue();
    return offerNow(item, priority);
  }

  @Override
  public boolean offer(T item, long timeout, TimeUnit unit) throws InterruptedException {
    return putWithPriority(item, defaultPriority(item), Calls.toMillis(timeout, unit));
  }

  private boolean offerNow(T item, long priority) {
    Reply reply = ObjectProxy.checked(calls.run(putCall(item, priority, 0)));
    return reply.getQueuePut().getAccepted();
  }

  private boolean putWithPriority(T item, long priority, long timeoutMillis)
      throws InterruptedException {
    Call.Builder call = putCall(item, priority, timeoutMillis);
    Reply reply;
    try {
      reply = calls.block(call, timeoutMillis, "room in queue '" + name + "'");
    } catch (InterruptedCall e) {
      if (e.served() != null && e.served().getQueuePut().getAccepted()) {
        // The item went in before the interrupt was seen: the put happened; keep the interrupt.
        Thread.currentThread().interrupt();
        return true;
      }
      throw e;
    }
    return ObjectProxy.checked(reply).getQueuePut().getAccepted();
  }

  private Call.Builder putCall(T item, long priority, long timeoutMillis) {
    Objects.requireNonNull(item, "a queue does not accept null items");
    QueuePutRequest.Builder put =
        QueuePutRequest.newBuilder().setName(name).setItem(codec.encode(item));
    if (options.kind() == QueueOptions.Kind.PRIORITY) {
      put.setPriority(priority);
    }
    if (timeoutMillis != Calls.FOREVER) {
      put.setTimeoutMs(timeoutMillis);
    }
    return Call.newBuilder().setQueuePut(put);
  }

  private long defaultPriority(T item) {
    return options.kind() == QueueOptions.Kind.PRIORITY && item != null
        ? options.priorityOf(item)
        : 0;
  }

  private void requirePriorityQueue() {
    if (options.kind() != QueueOptions.Kind.PRIORITY) {
      throw new IllegalArgumentException(
          "queue '" + name + "' is " + options.kind() + "; only priority queues take a priority");
    }
  }

  // ---- removal --------------------------------------------------------------------------

  @Override
  public T take() throws InterruptedException {
    return taken(fetch(true, Calls.FOREVER, "an item of queue '" + name + "'"));
  }

  @Override
  public T poll(long timeout, TimeUnit unit) throws InterruptedException {
    return taken(fetch(true, Calls.toMillis(timeout, unit), "an item of queue '" + name + "'"));
  }

  @Override
  public T poll() {
    return taken(ObjectProxy.checked(calls.run(getCall(true, 0))).getQueueGet());
  }

  @Override
  public Delivery<T> takeDelivery() throws InterruptedException {
    return delivery(fetch(false, Calls.FOREVER, "an item of queue '" + name + "'"));
  }

  @Override
  public Delivery<T> pollDelivery(long timeout, TimeUnit unit) throws InterruptedException {
    return delivery(fetch(false, Calls.toMillis(timeout, unit), "an item of queue '" + name + "'"));
  }

  /**
   * A blocking get. A plain take (auto_ack) that was served as the interrupt came has taken its
   * item for good: it returns the item with the interrupt kept, as a put that went in does (the
   * take happened before the interrupt was seen). A delivery served then goes back.
   */
  private QueueGetResponse fetch(boolean autoAck, long timeoutMillis, String what)
      throws InterruptedException {
    Reply reply;
    try {
      reply = calls.block(getCall(autoAck, timeoutMillis), timeoutMillis, what);
    } catch (InterruptedCall e) {
      if (e.served() == null || !e.served().getQueueGet().getHasItem()) {
        throw e;
      }
      if (!autoAck) {
        ack(e.served().getQueueGet().getDeliveryId(), true);
        throw e;
      }
      Thread.currentThread().interrupt();
      reply = e.served();
    }
    return ObjectProxy.checked(reply).getQueueGet();
  }

  Call.Builder getCall(boolean autoAck, long timeoutMillis) {
    QueueGetRequest.Builder get = QueueGetRequest.newBuilder().setName(name).setAutoAck(autoAck);
    if (timeoutMillis != Calls.FOREVER) {
      get.setTimeoutMs(timeoutMillis);
    }
    return Call.newBuilder().setQueueGet(get);
  }

  /**
   * A plain take's item: the coordinator removed it for good when it answered (its reply is in the
   * session's retry cache, so a take sent again after a lost reply gets this same item), and it is
   * nobody else's even if the lease ran out since, so it needs neither an ack nor a lease check.
   */
  T taken(QueueGetResponse got) {
    if (!got.getHasItem()) {
      return null;
    }
    try {
      return codec.decode(got.getItem());
    } catch (RuntimeException e) {
      giveBack(got.getItem(), got.getPriority());
      throw e;
    }
  }

  private Delivery<T> delivery(QueueGetResponse got) {
    if (!got.getHasItem()) {
      return null;
    }
    calls.trustGrant("an item of queue '" + name + "'");
    T value;
    try {
      value = codec.decode(got.getItem());
    } catch (RuntimeException e) {
      ack(got.getDeliveryId(), true);
      throw e;
    }
    return new DeliveryImpl<>(value, got.getDeliveryId(), this::ack);
  }

  /**
   * An item this proxy cannot read goes back to the head, so a reader of the right type gets it.
   */
  private void giveBack(Payload item, long priority) {
    QueuePutRequest.Builder back =
        QueuePutRequest.newBuilder()
            .setName(name)
            .setItem(item)
            .setPriority(priority)
            .setGiveBack(true);
    ObjectProxy.checked(calls.run(Call.newBuilder().setQueuePut(back)));
  }

  void ack(long deliveryId, boolean requeue) {
    ObjectProxy.checked(
        calls.run(
            Call.newBuilder()
                .setQueueAck(
                    QueueAckRequest.newBuilder()
                        .setName(name)
                        .addDeliveryIds(deliveryId)
                        .setRequeue(requeue))));
  }

  @Override
  public int drainTo(Collection<? super T> sink) {
    return drainTo(sink, Integer.MAX_VALUE);
  }

  /** One call per batch of up to {@link #BATCH_ITEMS} items (and a page's bytes), not per item. */
  @Override
  public int drainTo(Collection<? super T> sink, int maxElements) {
    Objects.requireNonNull(sink, "sink");
    if (sink == this) {
      throw new IllegalArgumentException("cannot drain a queue into itself");
    }
    int drained = 0;
    while (drained < maxElements) {
      List<T> batch =
          drained(
              ObjectProxy.checked(
                      calls.run(drainCall(Math.min(maxElements - drained, BATCH_ITEMS))))
                  .getQueueGet());
      if (batch.isEmpty()) {
        break;
      }
      sink.addAll(batch);
      drained += batch.size();
    }
    return drained;
  }

  /** As AbstractQueue's: every item or IllegalStateException, but in one call per batch. */
  @Override
  public boolean addAll(Collection<? extends T> items) {
    Objects.requireNonNull(items, "items");
    if (items == this) {
      throw new IllegalArgumentException("cannot add a queue to itself");
    }
    int added = 0;
    for (Call.Builder call : putCalls(items)) {
      QueuePutResponse put = ObjectProxy.checked(calls.run(call)).getQueuePut();
      added += accepted(put);
      if (!put.getAccepted()) {
        throw new IllegalStateException(
            "queue '" + name + "' is full: " + added + " of " + items.size() + " items went in");
      }
    }
    return added > 0;
  }

  /** Items per call of addAll/drainTo, at most; bytes bound a call too. */
  static final int BATCH_ITEMS = 4096;

  private static final long BATCH_BYTES = 1 << 20;

  private Call.Builder drainCall(int max) {
    return Call.newBuilder()
        .setQueueGet(
            QueueGetRequest.newBuilder()
                .setName(name)
                .setAutoAck(true)
                .setTimeoutMs(0)
                .setMaxItems(Math.max(2, max)));
  }

  /**
   * The items of a drain reply. If one cannot be decoded they all go back to the head, in order.
   */
  private List<T> drained(QueueGetResponse got) {
    if (!got.getHasItem()) {
      return List.of();
    }
    List<T> out = new ArrayList<>(1 + got.getMoreItemsCount());
    try {
      out.add(codec.decode(got.getItem()));
      for (Payload item : got.getMoreItemsList()) {
        out.add(codec.decode(item));
      }
    } catch (RuntimeException e) {
      for (int i = got.getMoreItemsCount() - 1; i >= 0; i--) {
        giveBack(got.getMoreItems(i), 0);
      }
      giveBack(got.getItem(), got.getPriority());
      throw e;
    }
    return out;
  }

  /** addAll's calls: items in order, each call under the message budget and BATCH_ITEMS. */
  private List<Call.Builder> putCalls(Collection<? extends T> items) {
    long budget = Math.max(1, Math.min(BATCH_BYTES, calls.session().maxMessageBytes() / 2));
    List<Call.Builder> out = new ArrayList<>();
    QueuePutRequest.Builder put = null;
    long bytes = 0;
    for (T item : items) {
      Objects.requireNonNull(item, "a queue does not accept null items");
      Payload payload = codec.encode(item);
      long size = payload.getSerializedSize() + 8L;
      if (put != null && (put.getMoreItemsCount() + 1 >= BATCH_ITEMS || bytes + size > budget)) {
        out.add(Call.newBuilder().setQueuePut(put));
        put = null;
      }
      long priority = defaultPriority(item);
      if (put == null) {
        put = QueuePutRequest.newBuilder().setName(name).setItem(payload).setTimeoutMs(0);
        if (options.kind() == QueueOptions.Kind.PRIORITY) {
          put.setPriority(priority);
        }
        bytes = 0;
      } else {
        put.addMoreItems(payload);
        if (options.kind() == QueueOptions.Kind.PRIORITY) {
          put.addMorePriorities(priority);
        }
      }
      bytes += size;
    }
    if (put != null) {
      out.add(Call.newBuilder().setQueuePut(put)); // a batch of one is a plain put, never waiting
    }
    return out;
  }

  /** How many items a put reply says went in (a single put has no accepted_count). */
  private static int accepted(QueuePutResponse put) {
    return put.getAcceptedCount() > 0 ? put.getAcceptedCount() : put.getAccepted() ? 1 : 0;
  }

  // ---- the async view -------------------------------------------------------------------

  @Override
  public ColonyQueueAsync<T> async() {
    return async;
  }

  private final ColonyQueueAsync<T> async = new Async();

  private final class Async implements ColonyQueueAsync<T> {
    @Override
    public CompletableFuture<Void> put(T item) {
      return calls.async(putCall(item, defaultPriority(item), Calls.FOREVER), r -> null, null);
    }

    @Override
    public CompletableFuture<Boolean> offer(T item) {
      return calls.async(
          putCall(item, defaultPriority(item), 0), r -> r.getQueuePut().getAccepted(), null);
    }

    @Override
    public CompletableFuture<Boolean> offer(T item, long timeout, TimeUnit unit) {
      return calls.async(
          putCall(item, defaultPriority(item), Calls.toMillis(timeout, unit)),
          r -> r.getQueuePut().getAccepted(),
          null);
    }

    @Override
    public CompletableFuture<T> take() {
      return get(Calls.FOREVER);
    }

    @Override
    public CompletableFuture<T> poll() {
      return get(0);
    }

    @Override
    public CompletableFuture<T> poll(long timeout, TimeUnit unit) {
      return get(Calls.toMillis(timeout, unit));
    }

    private CompletableFuture<T> get(long timeoutMillis) {
      return calls.async(
          getCall(true, timeoutMillis),
          r -> taken(r.getQueueGet()),
          r -> {
            QueueGetResponse got = r.getQueueGet();
            if (got.getHasItem()) {
              giveBack(got.getItem(), got.getPriority()); // cancelled: it takes nothing
            }
          });
    }

    @Override
    public CompletableFuture<Integer> addAll(Collection<? extends T> items) {
      Objects.requireNonNull(items, "items");
      CompletableFuture<Integer> done = CompletableFuture.completedFuture(0);
      for (Call.Builder call : putCalls(items)) {
        done =
            done.thenCompose(
                added ->
                    added < 0
                        ? CompletableFuture.completedFuture(added)
                        : calls.async(
                            call,
                            r -> {
                              QueuePutResponse put = r.getQueuePut();
                              int total = added + accepted(put);
                              return put.getAccepted() ? total : -1 - total;
                            },
                            null));
      }
      // A negative count marks a batch that did not all fit: the calls after it are not sent.
      return done.thenApply(added -> added < 0 ? -1 - added : added);
    }

    @Override
    public CompletableFuture<List<T>> drain(int maxElements) {
      return drainFrom(new ArrayList<>(), maxElements);
    }

    private CompletableFuture<List<T>> drainFrom(List<T> sink, int maxElements) {
      if (sink.size() >= maxElements) {
        return CompletableFuture.completedFuture(sink);
      }
      return calls
          .async(
              drainCall(Math.min(maxElements - sink.size(), BATCH_ITEMS)),
              r -> drained(r.getQueueGet()),
              null)
          .thenCompose(
              batch -> {
                if (batch.isEmpty()) {
                  return CompletableFuture.completedFuture(sink);
                }
                sink.addAll(batch);
                return drainFrom(sink, maxElements);
              });
    }
  }

  // ---- joinable queue -------------------------------------------------------------------

  @Override
  public void taskDone() {
    ObjectProxy.checked(
        calls.run(
            Call.newBuilder().setQueueTaskDone(QueueTaskDoneRequest.newBuilder().setName(name))));
  }

  @Override
  public void join() throws InterruptedException {
    join(Calls.FOREVER);
  }

  @Override
  public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    return join(Calls.toMillis(timeout, unit));
  }

  private boolean join(long timeoutMillis) throws InterruptedException {
    QueueJoinRequest.Builder join = QueueJoinRequest.newBuilder().setName(name);
    if (timeoutMillis != Calls.FOREVER) {
      join.setTimeoutMs(timeoutMillis);
    }
    Reply reply =
        calls.block(
            Call.newBuilder().setQueueJoin(join),
            timeoutMillis,
            "the tasks of queue '" + name + "'");
    return ObjectProxy.checked(reply).getQueueJoin().getCompleted();
  }

  // ---- inspection -----------------------------------------------------------------------

  private QueueInfoResponse info() {
    return ObjectProxy.checked(
            calls.run(Call.newBuilder().setQueueInfo(QueueInfoRequest.newBuilder().setName(name))))
        .getQueueInfo();
  }

  @Override
  public int size() {
    return (int) Math.min(Integer.MAX_VALUE, info().getSize());
  }

  @Override
  public boolean isEmpty() {
    return info().getSize() == 0;
  }

  @Override
  public int remainingCapacity() {
    QueueInfoResponse info = info();
    if (info.getMaxSize() == 0) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, info.getMaxSize() - info.getSize()));
  }

  // ---- reading and removing in place -----------------------------------------------------

  @Override
  public T peek() {
    Iterator<QueueRangeItem> head = PagedIterator.raw(pages(1));
    return head.hasNext() ? decode(head.next()) : null;
  }

  /** Pages from the coordinator; {@link Iterator#remove()} removes from the shared queue. */
  @Override
  public Iterator<T> iterator() {
    return new PagedIterator<>(pages(pageSize), this::decode, item -> removeAt(item.getPosition()));
  }

  @Override
  public Spliterator<T> spliterator() {
    // Not SIZED: the size may change while a stream runs, as with LinkedBlockingQueue's.
    return Spliterators.spliteratorUnknownSize(
        iterator(), Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT);
  }

  /** The first item equal to {@code o} that is still there when removed. */
  @Override
  public boolean remove(Object o) {
    if (o == null) {
      return false;
    }
    Iterator<QueueRangeItem> items = PagedIterator.raw(pages(pageSize));
    while (items.hasNext()) {
      QueueRangeItem item = items.next();
      if (o.equals(decode(item)) && removeAt(item.getPosition())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean removeIf(Predicate<? super T> filter) {
    Objects.requireNonNull(filter, "filter");
    return removeWhere(filter);
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    Objects.requireNonNull(c, "c");
    return removeWhere(c::contains);
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    Objects.requireNonNull(c, "c");
    return removeWhere(item -> !c.contains(item));
  }

  /** Removes the matching items; true if this call removed any (others may have taken some). */
  private boolean removeWhere(Predicate<? super T> matches) {
    boolean removed = false;
    Iterator<QueueRangeItem> items = PagedIterator.raw(pages(pageSize));
    while (items.hasNext()) {
      QueueRangeItem item = items.next();
      if (matches.test(decode(item)) && removeAt(item.getPosition())) {
        removed = true;
      }
    }
    return removed;
  }

  /** Removes every waiting item in one call; items taken and not yet acknowledged stay taken. */
  @Override
  public void clear() {
    ObjectProxy.checked(
        calls.run(Call.newBuilder().setQueueClear(QueueClearRequest.newBuilder().setName(name))));
  }

  private PagedIterator.Source<QueueRangeItem, QueuePosition> pages(int size) {
    return cursor -> page(cursor, size);
  }

  private PagedIterator.Page<QueueRangeItem, QueuePosition> page(QueuePosition cursor, int size) {
    QueueRangeRequest.Builder range =
        QueueRangeRequest.newBuilder().setName(name).setPageSize(size);
    if (cursor != null) {
      range.setCursor(cursor);
    }
    QueueRangeResponse page =
        ObjectProxy.checked(calls.run(Call.newBuilder().setQueueRange(range))).getQueueRange();
    return new PagedIterator.Page<>(
        page.getItemsList(), page.hasNextCursor() ? page.getNextCursor() : null);
  }

  private T decode(QueueRangeItem item) {
    return codec.decode(item.getItem());
  }

  /** False when the item is no longer there (taken or removed meanwhile). */
  private boolean removeAt(QueuePosition position) {
    return ObjectProxy.checked(
            calls.run(
                Call.newBuilder()
                    .setQueueRemove(
                        QueueRemoveRequest.newBuilder().setName(name).setPosition(position))))
        .getQueueRemove()
        .getRemoved();
  }
}
