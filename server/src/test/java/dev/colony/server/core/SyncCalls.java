package dev.colony.server.core;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ConditionAwaitRequest;
import dev.colony.proto.v1.ConditionOptions;
import dev.colony.proto.v1.ConditionSignalRequest;
import dev.colony.proto.v1.LockAcquireRequest;
import dev.colony.proto.v1.LockInfoRequest;
import dev.colony.proto.v1.LockReleaseRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectDeleteRequest;
import dev.colony.proto.v1.ObjectDescribeRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.QueueAckRequest;
import dev.colony.proto.v1.QueueGetRequest;
import dev.colony.proto.v1.QueueInfoRequest;
import dev.colony.proto.v1.QueueJoinRequest;
import dev.colony.proto.v1.QueueKind;
import dev.colony.proto.v1.QueueOptions;
import dev.colony.proto.v1.QueuePutRequest;
import dev.colony.proto.v1.QueueTaskDoneRequest;
import dev.colony.proto.v1.SemaphoreAcquireRequest;
import dev.colony.proto.v1.SemaphoreInfoRequest;
import dev.colony.proto.v1.SemaphoreOptions;
import dev.colony.proto.v1.SemaphoreReleaseRequest;
import java.util.List;

/**
 * Builders for the calls of the synchronisation objects' tests. A {@code timeout} of {@link
 * #FOREVER} leaves timeout_ms unset.
 */
final class SyncCalls {
  static final long FOREVER = -1;

  private SyncCalls() {}

  static Payload text(String s) {
    return Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8(s)).build();
  }

  static String text(Payload p) {
    return p.getData().toStringUtf8();
  }

  // ---- objects --------------------------------------------------------------------------

  static ObjectCreateRequest.Builder queue(String name, QueueKind kind, long maxSize) {
    return ObjectCreateRequest.newBuilder()
        .setName(name)
        .setType(ObjectType.QUEUE)
        .setQueue(QueueOptions.newBuilder().setKind(kind).setMaxSize(maxSize));
  }

  static ObjectCreateRequest.Builder semaphore(String name, ObjectType type, int permits) {
    return ObjectCreateRequest.newBuilder()
        .setName(name)
        .setType(type)
        .setSemaphore(SemaphoreOptions.newBuilder().setPermits(permits));
  }

  static ObjectCreateRequest.Builder condition(String name, String lockName) {
    return ObjectCreateRequest.newBuilder()
        .setName(name)
        .setType(ObjectType.CONDITION)
        .setCondition(ConditionOptions.newBuilder().setLockName(lockName));
  }

  static Call.Builder create(ObjectCreateRequest.Builder request) {
    return Call.newBuilder().setObjectCreate(request);
  }

  static Call.Builder delete(String name) {
    return Call.newBuilder().setObjectDelete(ObjectDeleteRequest.newBuilder().setName(name));
  }

  static Call.Builder describe(String name) {
    return Call.newBuilder().setObjectDescribe(ObjectDescribeRequest.newBuilder().setName(name));
  }

  // ---- queue ----------------------------------------------------------------------------

  static Call.Builder put(String queue, String item, long timeout) {
    return put(queue, item, 0, timeout);
  }

  static Call.Builder put(String queue, String item, long priority, long timeout) {
    QueuePutRequest.Builder put =
        QueuePutRequest.newBuilder().setName(queue).setItem(text(item)).setPriority(priority);
    if (timeout != FOREVER) {
      put.setTimeoutMs(timeout);
    }
    return Call.newBuilder().setQueuePut(put);
  }

  static Call.Builder get(String queue, long timeout) {
    return get(queue, timeout, true);
  }

  static Call.Builder get(String queue, long timeout, boolean autoAck) {
    QueueGetRequest.Builder get = QueueGetRequest.newBuilder().setName(queue).setAutoAck(autoAck);
    if (timeout != FOREVER) {
      get.setTimeoutMs(timeout);
    }
    return Call.newBuilder().setQueueGet(get);
  }

  static Call.Builder ack(String queue, boolean requeue, List<Long> deliveryIds) {
    return Call.newBuilder()
        .setQueueAck(
            QueueAckRequest.newBuilder()
                .setName(queue)
                .setRequeue(requeue)
                .addAllDeliveryIds(deliveryIds));
  }

  static Call.Builder taskDone(String queue) {
    return Call.newBuilder().setQueueTaskDone(QueueTaskDoneRequest.newBuilder().setName(queue));
  }

  static Call.Builder join(String queue, long timeout) {
    QueueJoinRequest.Builder join = QueueJoinRequest.newBuilder().setName(queue);
    if (timeout != FOREVER) {
      join.setTimeoutMs(timeout);
    }
    return Call.newBuilder().setQueueJoin(join);
  }

  static Call.Builder queueInfo(String queue) {
    return Call.newBuilder().setQueueInfo(QueueInfoRequest.newBuilder().setName(queue));
  }

  // ---- lock and condition ---------------------------------------------------------------

  static Call.Builder acquire(String lock, long thread, long timeout) {
    LockAcquireRequest.Builder acquire =
        LockAcquireRequest.newBuilder().setName(lock).setThreadId(thread);
    if (timeout != FOREVER) {
      acquire.setTimeoutMs(timeout);
    }
    return Call.newBuilder().setLockAcquire(acquire);
  }

  static Call.Builder release(String lock, long thread) {
    return Call.newBuilder()
        .setLockRelease(LockReleaseRequest.newBuilder().setName(lock).setThreadId(thread));
  }

  static Call.Builder lockInfo(String lock) {
    return Call.newBuilder().setLockInfo(LockInfoRequest.newBuilder().setName(lock));
  }

  static Call.Builder await(String condition, long thread, long timeout) {
    ConditionAwaitRequest.Builder await =
        ConditionAwaitRequest.newBuilder().setName(condition).setThreadId(thread);
    if (timeout != FOREVER) {
      await.setTimeoutMs(timeout);
    }
    return Call.newBuilder().setConditionAwait(await);
  }

  static Call.Builder signal(String condition, long thread, int count, boolean all) {
    return Call.newBuilder()
        .setConditionSignal(
            ConditionSignalRequest.newBuilder()
                .setName(condition)
                .setThreadId(thread)
                .setCount(count)
                .setAll(all));
  }

  // ---- semaphore ------------------------------------------------------------------------

  static Call.Builder semAcquire(String semaphore, int permits, long timeout) {
    SemaphoreAcquireRequest.Builder acquire =
        SemaphoreAcquireRequest.newBuilder().setName(semaphore).setPermits(permits).setThreadId(1);
    if (timeout != FOREVER) {
      acquire.setTimeoutMs(timeout);
    }
    return Call.newBuilder().setSemaphoreAcquire(acquire);
  }

  static Call.Builder semRelease(String semaphore, int permits) {
    return Call.newBuilder()
        .setSemaphoreRelease(
            SemaphoreReleaseRequest.newBuilder()
                .setName(semaphore)
                .setPermits(permits)
                .setThreadId(1));
  }

  static Call.Builder semInfo(String semaphore) {
    return Call.newBuilder().setSemaphoreInfo(SemaphoreInfoRequest.newBuilder().setName(semaphore));
  }
}
