package dev.colony.server.core;

import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ListAddRequest;
import dev.colony.proto.v1.ListAddResponse;
import dev.colony.proto.v1.ListClearRequest;
import dev.colony.proto.v1.ListClearResponse;
import dev.colony.proto.v1.ListGetRequest;
import dev.colony.proto.v1.ListGetResponse;
import dev.colony.proto.v1.ListRangeRequest;
import dev.colony.proto.v1.ListRangeResponse;
import dev.colony.proto.v1.ListRemoveRequest;
import dev.colony.proto.v1.ListRemoveResponse;
import dev.colony.proto.v1.ListSetRequest;
import dev.colony.proto.v1.ListSetResponse;
import dev.colony.proto.v1.ListSizeRequest;
import dev.colony.proto.v1.ListSizeResponse;
import dev.colony.proto.v1.ListSnapshot;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.Payload;
import java.util.ArrayList;
import java.util.List;

/**
 * A LIST (Python list / a subset of Java {@code List}) of opaque payloads. Indexes outside the list
 * are OUT_OF_RANGE with INDEX_OUT_OF_RANGE, which the SDK turns into IndexOutOfBoundsException.
 */
final class ListObject extends SharedObject {
  private final List<Payload> items = new ArrayList<>();

  ListObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder().setName(name).setType(type).setSize(items.size()).build();
  }

  /** Lists have no options, so any request of the same type is accepted. */
  @Override
  public void checkOptions(ObjectCreateRequest request) {}

  /** Nobody waits on a List, so there is nothing to fail. */
  @Override
  public void delete() {}

  public void add(CallContext ctx, ListAddRequest request) {
    // Check everything first, so a refused batch changes nothing.
    int at = items.size();
    if (request.hasIndex()) {
      at = checkIndex(request.getIndex(), items.size() + 1);
    }
    for (Payload item : request.getItemsList()) {
      checkItem(item);
    }
    DataChecks.checkRoom(this, env.limits(), items.size(), request.getItemsCount());
    long bytes = 0;
    for (Payload item : request.getItemsList()) {
      bytes += sizeOf(item);
    }
    checkStore(bytes);
    items.addAll(at, request.getItemsList());
    stored(bytes);
    long size = items.size();
    ctx.reply(r -> r.setListAdd(ListAddResponse.newBuilder().setSize(size)));
  }

  public void get(CallContext ctx, ListGetRequest request) {
    Payload item = items.get(checkIndex(request.getIndex(), items.size()));
    ctx.reply(r -> r.setListGet(ListGetResponse.newBuilder().setItem(item)));
  }

  public void set(CallContext ctx, ListSetRequest request) {
    int index = checkIndex(request.getIndex(), items.size());
    checkItem(request.getItem());
    long growth = sizeOf(request.getItem()) - sizeOf(items.get(index));
    checkStore(growth);
    Payload previous = items.set(index, request.getItem());
    stored(growth);
    ctx.reply(r -> r.setListSet(ListSetResponse.newBuilder().setPrevious(previous)));
  }

  public void remove(CallContext ctx, ListRemoveRequest request) {
    Payload removed = items.remove(checkIndex(request.getIndex(), items.size()));
    stored(-sizeOf(removed));
    ctx.reply(r -> r.setListRemove(ListRemoveResponse.newBuilder().setRemoved(removed)));
  }

  public void size(CallContext ctx, ListSizeRequest request) {
    long size = items.size();
    ctx.reply(r -> r.setListSize(ListSizeResponse.newBuilder().setSize(size)));
  }

  public void range(CallContext ctx, ListRangeRequest request) {
    long from = request.getFrom();
    long to = request.getTo() == 0 ? items.size() : request.getTo();
    if (from < 0 || from > to || to > items.size()) {
      throw new CoreException(
          CoreException.Code.OUT_OF_RANGE,
          ErrorReason.INDEX_OUT_OF_RANGE,
          "range ["
              + from
              + ", "
              + to
              + ") is outside the list '"
              + name
              + "' of size "
              + items.size()
              + "; need 0 <= from <= to <= size (to = 0 means the end)");
    }
    ListRangeResponse snapshot =
        ListRangeResponse.newBuilder().addAllItems(items.subList((int) from, (int) to)).build();
    ctx.reply(r -> r.setListRange(snapshot));
  }

  public void clear(CallContext ctx, ListClearRequest request) {
    items.clear();
    dropStored();
    ctx.reply(r -> r.setListClear(ListClearResponse.getDefaultInstance()));
  }

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    snapshot.setList(ListSnapshot.newBuilder().addAllItems(items));
  }

  static ListObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env) {
    ListObject list = new ListObject(SharedObject.createRequest(snapshot).build(), env);
    list.items.addAll(snapshot.getList().getItemsList());
    for (Payload item : list.items) {
      list.stored(sizeOf(item));
    }
    return list;
  }

  /** {@code index} as an int when {@code 0 <= index < bound}, else INDEX_OUT_OF_RANGE. */
  private int checkIndex(long index, int bound) {
    if (index < 0 || index >= bound) {
      throw new CoreException(
          CoreException.Code.OUT_OF_RANGE,
          ErrorReason.INDEX_OUT_OF_RANGE,
          "index " + index + " is outside the list '" + name + "' of size " + items.size());
    }
    return (int) index;
  }

  private static long sizeOf(Payload item) {
    return Limits.storedSize(item.getSerializedSize());
  }

  private void checkItem(Payload item) {
    DataChecks.checkPayload(env.limits(), "an item of list '" + name + "'", item);
  }
}
