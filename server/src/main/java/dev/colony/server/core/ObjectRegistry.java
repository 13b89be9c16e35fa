package dev.colony.server.core;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectCreateResponse;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.ObjectType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/** The manager's registry: every shared object by name, each with one type for its life. */
final class ObjectRegistry {
  private final Map<String, SharedObject> objects = new TreeMap<>();
  private final CoreEnv env;

  ObjectRegistry(CoreEnv env) {
    this.env = env;
  }

  ObjectCreateResponse create(ObjectCreateRequest request) {
    SharedObject existing = objects.get(request.getName());
    if (existing != null) {
      if (existing.type() != request.getType()) {
        throw wrongType(existing, request.getType());
      }
      existing.checkOptions(request);
      return ObjectCreateResponse.newBuilder().setCreated(false).setInfo(existing.info()).build();
    }
    if (objects.size() >= env.limits().maxObjects()) {
      throw CoreException.exhausted(
          ErrorReason.LIMIT_EXCEEDED,
          "the coordinator already hosts "
              + objects.size()
              + " objects (limit "
              + env.limits().maxObjects()
              + "); delete some first");
    }
    SharedObject created = newObject(request);
    objects.put(request.getName(), created);
    return ObjectCreateResponse.newBuilder().setCreated(true).setInfo(created.info()).build();
  }

  private SharedObject newObject(ObjectCreateRequest request) {
    return switch (request.getType()) {
      case QUEUE -> new QueueObject(request, env);
      case LOCK, RLOCK -> new LockObject(request, env);
      case SEMAPHORE, BOUNDED_SEMAPHORE -> new SemaphoreObject(request, env);
      case CONDITION -> {
        String lockName = request.getCondition().getLockName();
        LockObject lock = get(lockName, LockObject.class, ObjectType.LOCK, ObjectType.RLOCK);
        yield new ConditionObject(request, env, lock);
      }
      case EVENT -> new EventObject(request, env);
      case BARRIER -> new BarrierObject(request, env);
      case COUNT_DOWN_LATCH -> new LatchObject(request, env);
      case VALUE -> new ValueObject(request, env);
      case MAP -> new MapObject(request, env);
      case LIST -> new ListObject(request, env);
      case OBJECT_TYPE_UNSPECIFIED, UNRECOGNIZED ->
          throw CoreException.invalid("object type is required (QUEUE, LOCK, ...)");
    };
  }

  /** The object called {@code name}, which must be one of {@code types}. */
  <T extends SharedObject> T get(String name, Class<T> cls, ObjectType... types) {
    SharedObject object = objects.get(name);
    if (object == null) {
      throw CoreException.notFound(
          ErrorReason.OBJECT_NOT_FOUND,
          types[0] + " '" + name + "' does not exist; create it first (ObjectCreate)");
    }
    for (ObjectType type : types) {
      if (object.type() == type) {
        return cls.cast(object);
      }
    }
    throw wrongType(object, types[0]);
  }

  SharedObject find(String name) {
    return objects.get(name);
  }

  boolean delete(String name) {
    SharedObject object = objects.remove(name);
    if (object == null) {
      return false;
    }
    object.delete();
    object.dropStored();
    return true;
  }

  int size() {
    return objects.size();
  }

  /** The {@code max} longest queues, longest first (ties by name). */
  List<CoreStats.QueueDepth> longestQueues(int max) {
    PriorityQueue<CoreStats.QueueDepth> shortestFirst =
        new PriorityQueue<>(Comparator.comparingLong(CoreStats.QueueDepth::depth));
    for (SharedObject object : objects.values()) {
      if (object instanceof QueueObject queue) {
        shortestFirst.add(new CoreStats.QueueDepth(queue.name(), queue.depth()));
        if (shortestFirst.size() > max) {
          shortestFirst.poll();
        }
      }
    }
    List<CoreStats.QueueDepth> longest = new ArrayList<>(shortestFirst);
    longest.sort(
        Comparator.comparingLong(CoreStats.QueueDepth::depth)
            .reversed()
            .thenComparing(CoreStats.QueueDepth::name));
    return longest;
  }

  List<ObjectInfo> list() {
    List<ObjectInfo> infos = new ArrayList<>(objects.size());
    for (SharedObject object : objects.values()) {
      infos.add(object.info());
    }
    return infos;
  }

  CoreEnv env() {
    return env;
  }

  // ---- snapshots ------------------------------------------------------------------------

  /** Every object by name with its state and waiters. */
  List<ObjectSnapshot> toSnapshot(SnapshotWriter writer) {
    List<ObjectSnapshot> snapshots = new ArrayList<>(objects.size());
    for (SharedObject object : objects.values()) {
      ObjectSnapshot.Builder snapshot =
          ObjectSnapshot.newBuilder().setName(object.name()).setType(object.type());
      object.writeState(snapshot, writer);
      snapshots.add(snapshot.build());
    }
    return snapshots;
  }

  /**
   * Restores every object into this empty registry: conditions after the locks they are bound to,
   * and locks' queues after the conditions whose awaits they may hold.
   */
  void restore(List<ObjectSnapshot> snapshots, SnapshotReader reader) {
    if (!objects.isEmpty()) {
      throw new IllegalStateException("restore into a registry that has objects");
    }
    for (ObjectSnapshot snapshot : snapshots) {
      SharedObject object =
          switch (snapshot.getStateCase()) {
            case QUEUE -> QueueObject.fromSnapshot(snapshot, env, reader);
            case LOCK -> LockObject.fromSnapshot(snapshot, env, reader);
            case SEMAPHORE -> SemaphoreObject.fromSnapshot(snapshot, env, reader);
            case EVENT -> EventObject.fromSnapshot(snapshot, env, reader);
            case BARRIER -> BarrierObject.fromSnapshot(snapshot, env, reader);
            case LATCH -> LatchObject.fromSnapshot(snapshot, env, reader);
            case VALUE -> ValueObject.fromSnapshot(snapshot, env);
            case MAP -> MapObject.fromSnapshot(snapshot, env);
            case LIST -> ListObject.fromSnapshot(snapshot, env);
            case CONDITION -> null;
            case STATE_NOT_SET ->
                throw SnapshotReader.invalid("object " + snapshot.getName() + " has no state");
          };
      if (object != null) {
        put(snapshot, object);
      }
    }
    for (ObjectSnapshot snapshot : snapshots) {
      if (snapshot.hasCondition()) {
        String lockName = snapshot.getCondition().getLockName();
        LockObject lock =
            snapshot.getCondition().getLockDeleted()
                ? LockObject.deleted(lockName, env)
                : get(lockName, LockObject.class, ObjectType.LOCK, ObjectType.RLOCK);
        put(snapshot, ConditionObject.fromSnapshot(snapshot, env, lock, reader));
      }
    }
    for (ObjectSnapshot snapshot : snapshots) {
      if (snapshot.hasLock()) {
        ((LockObject) objects.get(snapshot.getName())).restoreQueue(snapshot.getLock(), reader);
      }
    }
  }

  private void put(ObjectSnapshot snapshot, SharedObject object) {
    if (object.type() != snapshot.getType()
        || objects.putIfAbsent(snapshot.getName(), object) != null) {
      throw SnapshotReader.invalid(
          "object " + snapshot.getName() + " is there twice or its state is not its type's");
    }
  }

  private static CoreException wrongType(SharedObject object, ObjectType wanted) {
    return CoreException.precondition(
        ErrorReason.WRONG_TYPE,
        "'"
            + object.name()
            + "' is a "
            + object.type()
            + ", not a "
            + wanted
            + "; pick another name or use it as a "
            + object.type());
  }
}
