package dev.colony.server.core;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectDeleteResponse;
import dev.colony.proto.v1.ObjectDescribeResponse;
import dev.colony.proto.v1.ObjectListResponse;
import dev.colony.proto.v1.ObjectType;
import java.util.EnumMap;
import java.util.Map;

/** Which object method serves each operation of a {@link Call}: the core's dispatch table. */
final class CallHandlers {
  @FunctionalInterface
  interface Handler {
    void handle(CallContext ctx, Call call);
  }

  private final Map<Call.OpCase, Handler> handlers = new EnumMap<>(Call.OpCase.class);
  private final ObjectRegistry objects;

  CallHandlers(ObjectRegistry objects, TaskBoard tasks) {
    this.objects = objects;
    objectOps();
    on(
        Call.OpCase.QUEUE_PUT,
        (c, call) -> queue(call.getQueuePut().getName()).put(c, call.getQueuePut()));
    on(
        Call.OpCase.QUEUE_GET,
        (c, call) -> queue(call.getQueueGet().getName()).get(c, call.getQueueGet()));
    on(
        Call.OpCase.QUEUE_ACK,
        (c, call) -> queue(call.getQueueAck().getName()).ack(c, call.getQueueAck()));
    on(
        Call.OpCase.QUEUE_TASK_DONE,
        (c, call) -> queue(call.getQueueTaskDone().getName()).taskDone(c, call.getQueueTaskDone()));
    on(
        Call.OpCase.QUEUE_JOIN,
        (c, call) -> queue(call.getQueueJoin().getName()).join(c, call.getQueueJoin()));
    on(
        Call.OpCase.QUEUE_INFO,
        (c, call) -> queue(call.getQueueInfo().getName()).queueInfo(c, call.getQueueInfo()));
    on(
        Call.OpCase.QUEUE_RANGE,
        (c, call) -> queue(call.getQueueRange().getName()).range(c, call.getQueueRange()));
    on(
        Call.OpCase.QUEUE_REMOVE,
        (c, call) -> queue(call.getQueueRemove().getName()).remove(c, call.getQueueRemove()));
    on(
        Call.OpCase.QUEUE_CLEAR,
        (c, call) -> queue(call.getQueueClear().getName()).clear(c, call.getQueueClear()));

    on(
        Call.OpCase.LOCK_ACQUIRE,
        (c, call) -> lock(call.getLockAcquire().getName()).acquire(c, call.getLockAcquire()));
    on(
        Call.OpCase.LOCK_RELEASE,
        (c, call) -> lock(call.getLockRelease().getName()).release(c, call.getLockRelease()));
    on(
        Call.OpCase.LOCK_INFO,
        (c, call) -> lock(call.getLockInfo().getName()).lockInfo(c, call.getLockInfo()));
    on(
        Call.OpCase.LOCK_HAS_QUEUED_THREAD,
        (c, call) ->
            lock(call.getLockHasQueuedThread().getName())
                .hasQueuedThread(c, call.getLockHasQueuedThread()));
    on(
        Call.OpCase.CONDITION_AWAIT,
        (c, call) ->
            condition(call.getConditionAwait().getName()).await(c, call.getConditionAwait()));
    on(
        Call.OpCase.CONDITION_SIGNAL,
        (c, call) ->
            condition(call.getConditionSignal().getName()).signal(c, call.getConditionSignal()));
    on(
        Call.OpCase.CONDITION_INFO,
        (c, call) ->
            condition(call.getConditionInfo().getName()).conditionInfo(c, call.getConditionInfo()));

    on(
        Call.OpCase.SEMAPHORE_ACQUIRE,
        (c, call) ->
            semaphore(call.getSemaphoreAcquire().getName()).acquire(c, call.getSemaphoreAcquire()));
    on(
        Call.OpCase.SEMAPHORE_RELEASE,
        (c, call) ->
            semaphore(call.getSemaphoreRelease().getName()).release(c, call.getSemaphoreRelease()));
    on(
        Call.OpCase.SEMAPHORE_DRAIN,
        (c, call) ->
            semaphore(call.getSemaphoreDrain().getName()).drain(c, call.getSemaphoreDrain()));
    on(
        Call.OpCase.SEMAPHORE_REDUCE,
        (c, call) ->
            semaphore(call.getSemaphoreReduce().getName()).reduce(c, call.getSemaphoreReduce()));
    on(
        Call.OpCase.SEMAPHORE_INFO,
        (c, call) ->
            semaphore(call.getSemaphoreInfo().getName()).semaphoreInfo(c, call.getSemaphoreInfo()));

    on(
        Call.OpCase.EVENT_SET,
        (c, call) -> event(call.getEventSet().getName()).set(c, call.getEventSet()));
    on(
        Call.OpCase.EVENT_CLEAR,
        (c, call) -> event(call.getEventClear().getName()).clear(c, call.getEventClear()));
    on(
        Call.OpCase.EVENT_IS_SET,
        (c, call) -> event(call.getEventIsSet().getName()).isSet(c, call.getEventIsSet()));
    on(
        Call.OpCase.EVENT_WAIT,
        (c, call) -> event(call.getEventWait().getName()).await(c, call.getEventWait()));

    on(
        Call.OpCase.BARRIER_AWAIT,
        (c, call) -> barrier(call.getBarrierAwait().getName()).await(c, call.getBarrierAwait()));
    on(
        Call.OpCase.BARRIER_ABORT,
        (c, call) -> barrier(call.getBarrierAbort().getName()).abort(c, call.getBarrierAbort()));
    on(
        Call.OpCase.BARRIER_RESET,
        (c, call) -> barrier(call.getBarrierReset().getName()).reset(c, call.getBarrierReset()));
    on(
        Call.OpCase.BARRIER_ACTION_DONE,
        (c, call) ->
            barrier(call.getBarrierActionDone().getName())
                .actionDone(c, call.getBarrierActionDone()));
    on(
        Call.OpCase.BARRIER_INFO,
        (c, call) ->
            barrier(call.getBarrierInfo().getName()).barrierInfo(c, call.getBarrierInfo()));

    on(
        Call.OpCase.LATCH_COUNT_DOWN,
        (c, call) ->
            latch(call.getLatchCountDown().getName()).countDown(c, call.getLatchCountDown()));
    on(
        Call.OpCase.LATCH_AWAIT,
        (c, call) -> latch(call.getLatchAwait().getName()).await(c, call.getLatchAwait()));
    on(
        Call.OpCase.LATCH_COUNT,
        (c, call) -> latch(call.getLatchCount().getName()).count(c, call.getLatchCount()));

    on(
        Call.OpCase.VALUE_GET,
        (c, call) -> value(call.getValueGet().getName()).get(c, call.getValueGet()));
    on(
        Call.OpCase.VALUE_SET,
        (c, call) -> value(call.getValueSet().getName()).set(c, call.getValueSet()));
    on(
        Call.OpCase.VALUE_GET_AND_SET,
        (c, call) ->
            value(call.getValueGetAndSet().getName()).getAndSet(c, call.getValueGetAndSet()));
    on(
        Call.OpCase.VALUE_COMPARE_AND_SET,
        (c, call) ->
            value(call.getValueCompareAndSet().getName())
                .compareAndSet(c, call.getValueCompareAndSet()));
    on(
        Call.OpCase.VALUE_ADD,
        (c, call) -> value(call.getValueAdd().getName()).add(c, call.getValueAdd()));

    on(Call.OpCase.MAP_GET, (c, call) -> map(call.getMapGet().getName()).get(c, call.getMapGet()));
    on(Call.OpCase.MAP_PUT, (c, call) -> map(call.getMapPut().getName()).put(c, call.getMapPut()));
    on(
        Call.OpCase.MAP_PUT_ALL,
        (c, call) -> map(call.getMapPutAll().getName()).putAll(c, call.getMapPutAll()));
    on(
        Call.OpCase.MAP_REMOVE,
        (c, call) -> map(call.getMapRemove().getName()).remove(c, call.getMapRemove()));
    on(
        Call.OpCase.MAP_REPLACE,
        (c, call) -> map(call.getMapReplace().getName()).replace(c, call.getMapReplace()));
    on(
        Call.OpCase.MAP_CONTAINS_KEY,
        (c, call) ->
            map(call.getMapContainsKey().getName()).containsKey(c, call.getMapContainsKey()));
    on(
        Call.OpCase.MAP_SIZE,
        (c, call) -> map(call.getMapSize().getName()).size(c, call.getMapSize()));
    on(
        Call.OpCase.MAP_ENTRIES,
        (c, call) -> map(call.getMapEntries().getName()).entries(c, call.getMapEntries()));
    on(
        Call.OpCase.MAP_CLEAR,
        (c, call) -> map(call.getMapClear().getName()).clear(c, call.getMapClear()));
    on(
        Call.OpCase.MAP_RANGE,
        (c, call) -> map(call.getMapRange().getName()).range(c, call.getMapRange()));

    on(
        Call.OpCase.LIST_ADD,
        (c, call) -> list(call.getListAdd().getName()).add(c, call.getListAdd()));
    on(
        Call.OpCase.LIST_GET,
        (c, call) -> list(call.getListGet().getName()).get(c, call.getListGet()));
    on(
        Call.OpCase.LIST_SET,
        (c, call) -> list(call.getListSet().getName()).set(c, call.getListSet()));
    on(
        Call.OpCase.LIST_REMOVE,
        (c, call) -> list(call.getListRemove().getName()).remove(c, call.getListRemove()));
    on(
        Call.OpCase.LIST_SIZE,
        (c, call) -> list(call.getListSize().getName()).size(c, call.getListSize()));
    on(
        Call.OpCase.LIST_RANGE,
        (c, call) -> list(call.getListRange().getName()).range(c, call.getListRange()));
    on(
        Call.OpCase.LIST_CLEAR,
        (c, call) -> list(call.getListClear().getName()).clear(c, call.getListClear()));

    on(Call.OpCase.TASK_SUBMIT, (c, call) -> tasks.submit(c, call.getTaskSubmit()));
    on(Call.OpCase.TASK_WAIT, (c, call) -> tasks.await(c, call.getTaskWait()));
    on(Call.OpCase.TASK_CANCEL, (c, call) -> tasks.cancel(c, call.getTaskCancel()));
    on(Call.OpCase.TASK_INFO, (c, call) -> tasks.info(c, call.getTaskInfo()));
    on(Call.OpCase.CODE_UPLOAD, (c, call) -> tasks.code().upload(c, call.getCodeUpload()));

    on(
        Call.OpCase.OP_NOT_SET,
        (c, call) -> {
          throw CoreException.invalid("the call has no operation set");
        });
    for (Call.OpCase op : Call.OpCase.values()) {
      if (!handlers.containsKey(op)) {
        throw new IllegalStateException("no handler for " + op);
      }
    }
  }

  void dispatch(CallContext ctx, Call call) {
    handlers.get(call.getOpCase()).handle(ctx, call);
  }

  private void objectOps() {
    on(
        Call.OpCase.OBJECT_CREATE,
        (c, call) -> {
          var response = objects.create(call.getObjectCreate());
          c.reply(r -> r.setObjectCreate(response));
        });
    on(
        Call.OpCase.OBJECT_DESCRIBE,
        (c, call) -> {
          String name = call.getObjectDescribe().getName();
          SharedObject object = objects.find(name);
          if (object == null) {
            throw CoreException.notFound(
                ErrorReason.OBJECT_NOT_FOUND, "no object is called '" + name + "'");
          }
          c.reply(
              r -> r.setObjectDescribe(ObjectDescribeResponse.newBuilder().setInfo(object.info())));
        });
    on(
        Call.OpCase.OBJECT_DELETE,
        (c, call) -> {
          boolean deleted = objects.delete(call.getObjectDelete().getName());
          c.reply(r -> r.setObjectDelete(ObjectDeleteResponse.newBuilder().setDeleted(deleted)));
        });
    on(
        Call.OpCase.OBJECT_LIST,
        (c, call) ->
            c.reply(
                r ->
                    r.setObjectList(
                        ObjectListResponse.newBuilder().addAllObjects(objects.list()))));
  }

  private void on(Call.OpCase op, Handler handler) {
    handlers.put(op, handler);
  }

  private QueueObject queue(String name) {
    return objects.get(name, QueueObject.class, ObjectType.QUEUE);
  }

  private LockObject lock(String name) {
    return objects.get(name, LockObject.class, ObjectType.LOCK, ObjectType.RLOCK);
  }

  private ConditionObject condition(String name) {
    return objects.get(name, ConditionObject.class, ObjectType.CONDITION);
  }

  private SemaphoreObject semaphore(String name) {
    return objects.get(
        name, SemaphoreObject.class, ObjectType.SEMAPHORE, ObjectType.BOUNDED_SEMAPHORE);
  }

  private EventObject event(String name) {
    return objects.get(name, EventObject.class, ObjectType.EVENT);
  }

  private BarrierObject barrier(String name) {
    return objects.get(name, BarrierObject.class, ObjectType.BARRIER);
  }

  private LatchObject latch(String name) {
    return objects.get(name, LatchObject.class, ObjectType.COUNT_DOWN_LATCH);
  }

  private ValueObject value(String name) {
    return objects.get(name, ValueObject.class, ObjectType.VALUE);
  }

  private MapObject map(String name) {
    return objects.get(name, MapObject.class, ObjectType.MAP);
  }

  private ListObject list(String name) {
    return objects.get(name, ListObject.class, ObjectType.LIST);
  }
}
