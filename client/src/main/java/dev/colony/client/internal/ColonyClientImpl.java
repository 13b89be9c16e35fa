package dev.colony.client.internal;

import dev.colony.client.ColonyAtomicLong;
import dev.colony.client.ColonyBarrier;
import dev.colony.client.ColonyClient;
import dev.colony.client.ColonyCondition;
import dev.colony.client.ColonyCountDownLatch;
import dev.colony.client.ColonyEvent;
import dev.colony.client.ColonyList;
import dev.colony.client.ColonyLock;
import dev.colony.client.ColonyMap;
import dev.colony.client.ColonyOptions;
import dev.colony.client.ColonyProcess;
import dev.colony.client.ColonyQueue;
import dev.colony.client.ColonySemaphore;
import dev.colony.client.ColonyValue;
import dev.colony.client.PipeEnd;
import dev.colony.client.PipeSide;
import dev.colony.client.Pool;
import dev.colony.client.PoolOptions;
import dev.colony.client.ProcessOptions;
import dev.colony.client.QueueOptions;
import dev.colony.client.Task;
import dev.colony.proto.v1.BarrierOptions;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ConditionOptions;
import dev.colony.proto.v1.LatchOptions;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectDeleteRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.QueueInfoRequest;
import dev.colony.proto.v1.QueueInfoResponse;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.SemaphoreOptions;
import dev.colony.proto.v1.TaskOutcome;
import dev.colony.proto.v1.ValueOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The client: one {@link SessionChannel}, and memoized proxies keyed by what was asked for (name,
 * object type, Java types, options). Every factory method first get-or-creates the object on the
 * coordinator, so a wrong type or conflicting options fail there, with its message.
 */
public final class ColonyClientImpl implements ColonyClient {
  private final SessionChannel session;
  private final Calls calls;
  private final Map<String, Object> proxies = new ConcurrentHashMap<>();
  private final TaskTracker tasks;
  private final AtomicInteger processNumbers = new AtomicInteger();
  private final int pageSize;

  private ColonyClientImpl(SessionChannel session, ColonyOptions options) {
    this.session = session;
    this.calls = new Calls(session, options.getCallTimeout().toMillis());
    this.pageSize = options.getPageSize();
    this.tasks = new TaskTracker(calls);
  }

  public static ColonyClientImpl connect(ColonyOptions options) {
    Objects.requireNonNull(options, "options");
    return new ColonyClientImpl(SessionChannel.open(options), options);
  }

  /** The async core of every proxy call, for the async twins and tests. */
  public SessionChannel session() {
    return session;
  }

  private <P> P memoized(String key, Supplier<P> factory) {
    @SuppressWarnings("unchecked")
    P existing = (P) proxies.get(key);
    if (existing != null) {
      return existing;
    }
    // Created outside the map's lock: creating makes a network call.
    P created = factory.get();
    @SuppressWarnings("unchecked")
    P raced = (P) proxies.putIfAbsent(key, created);
    return raced != null ? raced : created;
  }

  private void create(String name, ObjectType type, ObjectCreateRequest.Builder options) {
    Names.requireValid("an object name", name);
    ObjectProxy.checked(
        calls.run(Call.newBuilder().setObjectCreate(options.setName(name).setType(type))));
  }

  private void create(String name, ObjectType type) {
    create(name, type, ObjectCreateRequest.newBuilder());
  }

  @Override
  public <T> ColonyQueue<T> queue(String name, Class<T> type) {
    Codec<T> codec = Codecs.forClass(type);
    return memoized(
        "queue:" + name + ":" + type.getName(),
        () -> {
          // No options: use the queue as it was created (or create the default FIFO).
          create(name, ObjectType.QUEUE);
          return new QueueImpl<>(name, calls, codec, existingOptions(name), pageSize);
        });
  }

  private QueueOptions existingOptions(String name) {
    QueueInfoResponse info =
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder().setQueueInfo(QueueInfoRequest.newBuilder().setName(name))))
            .getQueueInfo();
    QueueOptions options =
        switch (info.getKind()) {
          case LIFO -> QueueOptions.lifo();
          case PRIORITY -> QueueOptions.priority();
          default -> QueueOptions.fifo();
        };
    return options.withMaxSize((int) Math.min(Integer.MAX_VALUE, info.getMaxSize()));
  }

  @Override
  public <T> ColonyQueue<T> queue(String name, Class<T> type, QueueOptions options) {
    Objects.requireNonNull(options, "options");
    Codec<T> codec = Codecs.forClass(type);
    return memoized(
        "queue:" + name + ":" + type.getName() + ":" + options + "@" + options.hashCode(),
        () -> {
          QueueKind kind =
              switch (options.kind()) {
                case FIFO -> QueueKind.FIFO;
                case LIFO -> QueueKind.LIFO;
                case PRIORITY -> QueueKind.PRIORITY;
              };
          create(
              name,
              ObjectType.QUEUE,
              ObjectCreateRequest.newBuilder()
                  .setQueue(
                      dev.colony.proto.v1.QueueOptions.newBuilder()
                          .setKind(kind)
                          .setMaxSize(options.maxSize())));
          return new QueueImpl<>(name, calls, codec, options, pageSize);
        });
  }

  @Override
  public ColonyLock lock(String name) {
    return memoized("lock:" + name, () -> newLock(name, ObjectType.LOCK));
  }

  @Override
  public ColonyLock rlock(String name) {
    return memoized("rlock:" + name, () -> newLock(name, ObjectType.RLOCK));
  }

  private LockImpl newLock(String name, ObjectType type) {
    create(name, type);
    LockImpl[] self = new LockImpl[1];
    self[0] = new LockImpl(name, calls, conditionName -> condition(self[0], conditionName));
    return self[0];
  }

  private ColonyCondition condition(LockImpl lock, String conditionName) {
    return memoized(
        "condition:" + conditionName + ":" + lock.name(),
        () -> {
          create(
              conditionName,
              ObjectType.CONDITION,
              ObjectCreateRequest.newBuilder()
                  .setCondition(ConditionOptions.newBuilder().setLockName(lock.name())));
          return new ConditionImpl(conditionName, calls, lock);
        });
  }

  @Override
  public ColonySemaphore semaphore(String name, int permits) {
    // Fair by default, yet accepting an existing unfair one: fairness unset on the wire.
    return semaphore(name, ObjectType.SEMAPHORE, SemaphoreOptions.newBuilder().setPermits(permits));
  }

  @Override
  public ColonySemaphore semaphore(String name, int permits, boolean fair) {
    return semaphore(
        name,
        ObjectType.SEMAPHORE,
        SemaphoreOptions.newBuilder().setPermits(permits).setFair(fair));
  }

  @Override
  public ColonySemaphore boundedSemaphore(String name, int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must be 0 or more, was " + permits);
    }
    return semaphore(
        name, ObjectType.BOUNDED_SEMAPHORE, SemaphoreOptions.newBuilder().setPermits(permits));
  }

  private ColonySemaphore semaphore(
      String name, ObjectType type, SemaphoreOptions.Builder options) {
    return memoized(
        type
            + ":"
            + name
            + ":"
            + options.getPermits()
            + ":"
            + options.hasFair()
            + options.getFair(),
        () -> {
          create(name, type, ObjectCreateRequest.newBuilder().setSemaphore(options));
          return new SemaphoreImpl(name, calls);
        });
  }

  @Override
  public ColonyEvent event(String name) {
    return memoized(
        "event:" + name,
        () -> {
          create(name, ObjectType.EVENT);
          return new EventImpl(name, calls);
        });
  }

  @Override
  public ColonyBarrier barrier(String name, int parties) {
    return memoized("barrier:" + name + ":" + parties, () -> newBarrier(name, parties, null));
  }

  @Override
  public ColonyBarrier barrier(String name, int parties, Runnable action) {
    Objects.requireNonNull(action, "action");
    return newBarrier(name, parties, action);
  }

  private BarrierImpl newBarrier(String name, int parties, Runnable action) {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be 1 or more, was " + parties);
    }
    create(
        name,
        ObjectType.BARRIER,
        ObjectCreateRequest.newBuilder()
            .setBarrier(BarrierOptions.newBuilder().setParties(parties)));
    return new BarrierImpl(name, calls, action);
  }

  @Override
  public ColonyCountDownLatch countDownLatch(String name, long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be 0 or more, was " + count);
    }
    return memoized(
        "latch:" + name + ":" + count,
        () -> {
          create(
              name,
              ObjectType.COUNT_DOWN_LATCH,
              ObjectCreateRequest.newBuilder().setLatch(LatchOptions.newBuilder().setCount(count)));
          return new CountDownLatchImpl(name, calls);
        });
  }

  @Override
  public ColonyAtomicLong atomicLong(String name) {
    return memoized(
        "atomicLong:" + name,
        () -> {
          // Unset options: a long 0 when new, and any existing long value is accepted.
          create(name, ObjectType.VALUE);
          return new AtomicLongImpl(name, calls);
        });
  }

  @Override
  public <T> ColonyValue<T> value(String name, Class<T> type) {
    ScalarCodec<T> codec = ScalarCodec.forClass(type);
    return memoized(
        "value:" + name + ":" + type.getName(),
        () -> {
          ObjectCreateRequest.Builder options = ObjectCreateRequest.newBuilder();
          if (codec != ScalarCodec.LONG) {
            // The initial value fixes the kind; a long needs none (unset means long 0).
            options.setValue(ValueOptions.newBuilder().setInitial(codec.initial()));
          }
          create(name, ObjectType.VALUE, options);
          return new ValueImpl<>(name, calls, codec);
        });
  }

  @Override
  public <K, V> ColonyMap<K, V> map(String name, Class<K> keyType, Class<V> valueType) {
    Codec<K> keys = Codecs.forClass(keyType);
    Codec<V> values = Codecs.forClass(valueType);
    return memoized(
        "map:" + name + ":" + keyType.getName() + ":" + valueType.getName(),
        () -> {
          create(name, ObjectType.MAP);
          return new MapImpl<>(name, calls, keyType, keys, values, pageSize);
        });
  }

  @Override
  public <T> ColonyList<T> list(String name, Class<T> type) {
    Codec<T> codec = Codecs.forClass(type);
    return memoized(
        "list:" + name + ":" + type.getName(),
        () -> {
          create(name, ObjectType.LIST);
          return new ListImpl<>(name, calls, codec);
        });
  }

  @Override
  public boolean delete(String name) {
    Names.requireValid("an object name", name);
    boolean deleted =
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder()
                        .setObjectDelete(ObjectDeleteRequest.newBuilder().setName(name))))
            .getObjectDelete()
            .getDeleted();
    proxies.keySet().removeIf(key -> key.contains(":" + name + ":") || key.endsWith(":" + name));
    return deleted;
  }

  @Override
  public Pool pool() {
    return pool(PoolOptions.getDefaultInstance());
  }

  @Override
  public Pool pool(PoolOptions options) {
    return new PoolImpl(tasks, options);
  }

  @Override
  public <A, R> ColonyProcess<R> process(Class<? extends Task<A, R>> task, A argument) {
    return process(task, argument, ProcessOptions.getDefaultInstance());
  }

  @Override
  public <A, R> ColonyProcess<R> process(
      Class<? extends Task<A, R>> task, A argument, ProcessOptions options) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(options, "options");
    String name =
        options.getName() != null
            ? options.getName()
            : task.getSimpleName() + "-" + processNumbers.incrementAndGet();
    return new ProcessImpl<>(
        tasks, task.getName(), argument, TaskTypes.resultType(task), name, options, task);
  }

  @Override
  public ColonyProcess<Object> process(String taskName, Object argument, ProcessOptions options) {
    Names.requireValid("a task name", taskName);
    Objects.requireNonNull(options, "options");
    String name =
        options.getName() != null
            ? options.getName()
            : taskName.substring(taskName.lastIndexOf('.') + 1)
                + "-"
                + processNumbers.incrementAndGet();
    return new ProcessImpl<>(tasks, taskName, argument, null, name, options, null);
  }

  @Override
  public boolean cancelTask(long taskId) {
    return tasks.cancel(List.of(taskId)) > 0;
  }

  @Override
  public Optional<TaskOutcome> task(long taskId) {
    return Optional.ofNullable(tasks.info(taskId));
  }

  @Override
  public <T> PipeEnd<T> pipe(String name, Class<T> type, PipeSide side) {
    return pipe(name, type, side, true);
  }

  @Override
  public <T> PipeEnd<T> oneWayPipe(String name, Class<T> type, PipeSide side) {
    return pipe(name, type, side, false);
  }

  private <T> PipeEnd<T> pipe(String name, Class<T> type, PipeSide side, boolean duplex) {
    Names.requireValid("a pipe name", name);
    Objects.requireNonNull(side, "side");
    Codec<T> codec = Codecs.forClass(type);
    String aToB = PipeEndImpl.queueName(name, PipeSide.A);
    String bToA = PipeEndImpl.queueName(name, PipeSide.B);
    create(aToB, ObjectType.QUEUE);
    if (duplex) {
      create(bToA, ObjectType.QUEUE);
    }
    String outgoing;
    String incoming;
    if (duplex) {
      outgoing = side == PipeSide.A ? aToB : bToA;
      incoming = side == PipeSide.A ? bToA : aToB;
    } else {
      outgoing = side == PipeSide.A ? aToB : null;
      incoming = side == PipeSide.A ? null : aToB;
    }
    return new PipeEndImpl<>(name, side, calls, codec, outgoing, incoming);
  }

  @Override
  public String sessionId() {
    return session.sessionId();
  }

  @Override
  public String sessionLabel() {
    return session.sessionLabel();
  }

  @Override
  public long maxMessageBytes() {
    return session.maxMessageBytes();
  }

  @Override
  public boolean isUsable() {
    return !session.isDead();
  }

  @Override
  public void close() {
    tasks.close();
    session.close();
    calls.close();
    proxies.clear();
  }

  @Override
  public String toString() {
    return "ColonyClient[session " + session.sessionLabel() + "]";
  }
}
