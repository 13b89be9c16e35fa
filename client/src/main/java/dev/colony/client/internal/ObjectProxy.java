package dev.colony.client.internal;

import dev.colony.proto.v1.Reply;

/** What every proxy has: its object's name and the call path to the coordinator. */
abstract class ObjectProxy {
  final String name;
  final Calls calls;

  ObjectProxy(String name, Calls calls) {
    this.name = name;
    this.calls = calls;
  }

  public String name() {
    return name;
  }

  static long threadId() {
    return Thread.currentThread().getId();
  }

  /** Throws the mapped exception of a failure reply. */
  static Reply checked(Reply reply) {
    if (reply.hasFailure()) {
      throw ColonyErrors.toUnchecked(reply.getFailure());
    }
    return reply;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName().replace("Impl", "") + "[" + name + "]";
  }
}
