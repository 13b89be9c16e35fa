package dev.colony.server.core;

import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.ObjectType;

/**
 * A named object hosted by the core. Subclasses are plain state: no locks (the core applies one
 * command at a time) and no transport types.
 */
public abstract class SharedObject {
  protected final String name;
  protected final ObjectType type;
  protected final CoreEnv env;

  /** Bytes of contents this object stores, as {@link Limits#storedSize} counts them. */
  private long storedBytes;

  protected SharedObject(String name, ObjectType type, CoreEnv env) {
    this.name = name;
    this.type = type;
    this.env = env;
  }

  public String name() {
    return name;
  }

  public ObjectType type() {
    return type;
  }

  /** Bytes of contents this object stores (items, entries, a value), counted toward the limits. */
  long storedBytes() {
    return storedBytes;
  }

  /** LIMIT_EXCEEDED unless this object may store {@code adding} more bytes. */
  protected final void checkStore(long adding) {
    env.checkStore(this, storedBytes, adding);
  }

  /** This object stores {@code delta} more bytes (fewer, if negative). */
  protected final void stored(long delta) {
    storedBytes += delta;
    env.stored(delta);
  }

  /** The object is gone: nothing it stored counts any more. */
  final void dropStored() {
    stored(-storedBytes);
  }

  /** A summary for tools and the dashboard. */
  public abstract ObjectInfo info();

  /**
   * Get-or-create found this object: accept the request when its options are unset or equal to this
   * object's, otherwise throw OPTIONS_CONFLICT.
   */
  public abstract void checkOptions(ObjectCreateRequest request);

  /**
   * {@code session} ended: release what it held (locks pass on, permits return, unacknowledged
   * items go back to the head of the queue). Its blocked calls were already cancelled.
   */
  public void releaseSession(Session session) {}

  /** The object is deleted: fail every waiter with OBJECT_NOT_FOUND. */
  public abstract void delete();

  /**
   * Writes the type-specific state (options, contents, holders, waiters in their order) into the
   * one field of {@code snapshot} for this type; the registry writes the name and type. Each type
   * reads it back with a static {@code fromSnapshot}.
   */
  abstract void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer);

  /** A create request for a restored object's constructor. */
  static ObjectCreateRequest.Builder createRequest(ObjectSnapshot snapshot) {
    return ObjectCreateRequest.newBuilder().setName(snapshot.getName()).setType(snapshot.getType());
  }

  protected CoreException optionsConflict(String existing, String requested) {
    return CoreException.precondition(
        dev.colony.proto.v1.ErrorReason.OPTIONS_CONFLICT,
        type
            + " '"
            + name
            + "' already exists with "
            + existing
            + ", not "
            + requested
            + "; use the same options or another name");
  }

  protected CoreException deleted() {
    return CoreException.notFound(
        dev.colony.proto.v1.ErrorReason.OBJECT_NOT_FOUND, type + " '" + name + "' was deleted");
  }
}
