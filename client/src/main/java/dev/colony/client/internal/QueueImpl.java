package dev.colony.client.internal;

import dev.colony.client.ColonyQueue;
import dev.colony.client.Delivery;
import dev.colony.client.QueueOptions;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.QueueAckRequest;
import dev.colony.proto.v1.QueueClearRequest;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueueGetResponse;
import dev.colony.proto.v1.QueueInfoRequest;
import dev.colony.proto.v1.QueueInfoResponse;
import dev.colony.proto.v1.QueueJoinRequest;
import dev.colony.proto.v1.QueuePosition;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.QueueRangeItem;
import dev.colony.proto.v1.QueueRangeRequest;
import dev.colony.proto.v1.QueueRangeResponse;
import dev.colony.proto.v1.QueueRemoveRequest;
import dev.colony.proto.v1.QueueTaskDoneRequest;
import dev.colony.proto.v1.Reply;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A queue proxy. Plain take/poll hold the item until it reached us, then ack it one-way. Reading in
 * place (peek, iterator and what AbstractQueue builds on it) pages through the queue.
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
    return autoAck(fetch(Calls.FOREVER, "an item of queue '" + name + "'"));
  }

  @Override
  public T poll(long timeout, TimeUnit unit) throws InterruptedException {
    return autoAck(fetch(Calls.toMillis(timeout, unit), "an item of queue '" + name + "'"));
  }

  @Override
  public T poll() {
    return autoAck(fetchNow());
  }

  @Override
  public Delivery<T> takeDelivery() throws InterruptedException {
    return delivery(fetch(Calls.FOREVER, "an item of queue '" + name + "'"));
  }

  @Override
  public Delivery<T> pollDelivery(long timeout, TimeUnit unit) throws InterruptedException {
    return delivery(fetch(Calls.toMillis(timeout, unit), "an item of queue '" + name + "'"));
  }

  private QueueGetResponse fetchNow() {
    return ObjectProxy.checked(calls.run(getCall(0))).getQueueGet();
  }

  private QueueGetResponse fetch(long timeoutMillis, String what) throws InterruptedException {
    Reply reply;
    try {
      reply = calls.block(getCall(timeoutMillis), timeoutMillis, what);
    } catch (InterruptedCall e) {
      if (e.served() != null && e.served().getQueueGet().getHasItem()) {
        // The item was handed to us as the interrupt came: give it back so it is not lost.
        ack(e.served().getQueueGet().getDeliveryId(), true);
      }
      throw e;
    }
    return ObjectProxy.checked(reply).getQueueGet();
  }

  private Call.Builder getCall(long timeoutMillis) {
    QueueGetRequest.Builder get = QueueGetRequest.newBuilder().setName(name).setAutoAck(false);
    if (timeoutMillis != Calls.FOREVER) {
      get.setTimeoutMs(timeoutMillis);
    }
    return Call.newBuilder().setQueueGet(get);
  }

  private T autoAck(QueueGetResponse got) {
    if (!got.getHasItem()) {
      return null;
    }
    calls.trustGrant("an item of queue '" + name + "'");
    T value = decodeOrGiveBack(got);
    calls.oneWay(ackCall(got.getDeliveryId(), false));
    return value;
  }

  private Delivery<T> delivery(QueueGetResponse got) {
    if (!got.getHasItem()) {
      return null;
    }
    calls.trustGrant("an item of queue '" + name + "'");
    return new DeliveryImpl<>(decodeOrGiveBack(got), got.getDeliveryId(), this::ack);
  }

  /** An item this proxy cannot read goes back, so a reader with the right type still gets it. */
  private T decodeOrGiveBack(QueueGetResponse got) {
    try {
      return codec.decode(got.getItem());
    } catch (RuntimeException e) {
      ack(got.getDeliveryId(), true);
      throw e;
    }
  }

  void ack(long deliveryId, boolean requeue) {
    ObjectProxy.checked(calls.run(ackCall(deliveryId, requeue)));
  }

  private Call.Builder ackCall(long deliveryId, boolean requeue) {
    return Call.newBuilder()
        .setQueueAck(
            QueueAckRequest.newBuilder()
                .setName(name)
                .addDeliveryIds(deliveryId)
                .setRequeue(requeue));
  }

  @Override
  public int drainTo(Collection<? super T> sink) {
    return drainTo(sink, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super T> sink, int maxElements) {
    Objects.requireNonNull(sink, "sink");
    if (sink == this) {
      throw new IllegalArgumentException("cannot drain a queue into itself");
    }
    int drained = 0;
    while (drained < maxElements) {
      T item = poll();
      if (item == null) {
        break;
      }
      sink.add(item);
      drained++;
    }
    return drained;
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
