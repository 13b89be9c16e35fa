package dev.colony.server.core;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.MapClearRequest;
import dev.colony.proto.v1.MapClearResponse;
import dev.colony.proto.v1.MapContainsKeyRequest;
import dev.colony.proto.v1.MapContainsKeyResponse;
import dev.colony.proto.v1.MapEntriesRequest;
import dev.colony.proto.v1.MapEntriesResponse;
import dev.colony.proto.v1.MapEntry;
import dev.colony.proto.v1.MapGetRequest;
import dev.colony.proto.v1.MapGetResponse;
import dev.colony.proto.v1.MapPutAllRequest;
import dev.colony.proto.v1.MapPutAllResponse;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.MapPutResponse;
import dev.colony.proto.v1.MapRangeRequest;
import dev.colony.proto.v1.MapRangeResponse;
import dev.colony.proto.v1.MapRemoveRequest;
import dev.colony.proto.v1.MapRemoveResponse;
import dev.colony.proto.v1.MapReplaceRequest;
import dev.colony.proto.v1.MapReplaceResponse;
import dev.colony.proto.v1.MapSizeRequest;
import dev.colony.proto.v1.MapSizeResponse;
import dev.colony.proto.v1.MapSnapshot;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.Payload;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A MAP (Python dict / Java {@code ConcurrentMap}) in insertion order. Keys and values are opaque
 * payloads compared by codec and bytes, so the coordinator never decodes them; the conditional
 * operations (putIfAbsent, remove and replace with an expected value) make the SDK's ConcurrentMap
 * CAS loops work.
 *
 * <p>Each key has a position in insertion order that it keeps while it is in the map, so a paged
 * read resumes after a position and never skips or repeats a key that stayed in the map.
 */
final class MapObject extends SharedObject {
  /** A key by value; a record rather than the Payload message so unknown fields never count. */
  private record Key(String codec, ByteString data) {
    static Key of(Payload payload) {
      return new Key(payload.getCodec(), payload.getData());
    }
  }

  /** An entry and its place in insertion order. */
  private static final class Slot {
    final long position;
    MapEntry entry;

    Slot(long position, MapEntry entry) {
      this.position = position;
      this.entry = entry;
    }
  }

  private final Map<Key, Slot> byKey = new HashMap<>();
  private final NavigableMap<Long, Slot> byPosition = new TreeMap<>();
  private long nextPosition;

  MapObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder().setName(name).setType(type).setSize(byKey.size()).build();
  }

  /** Maps have no options, so any request of the same type is accepted. */
  @Override
  public void checkOptions(ObjectCreateRequest request) {}

  /** Nobody waits on a Map, so there is nothing to fail. */
  @Override
  public void delete() {}

  public void get(CallContext ctx, MapGetRequest request) {
    MapEntry entry = find(Key.of(request.getKey()));
    MapGetResponse.Builder response = MapGetResponse.newBuilder().setFound(entry != null);
    if (entry != null) {
      response.setValue(entry.getValue());
    }
    ctx.reply(r -> r.setMapGet(response));
  }

  public void put(CallContext ctx, MapPutRequest request) {
    checkEntry(request.getKey(), request.getValue());
    Key key = Key.of(request.getKey());
    MapEntry existing = find(key);
    MapPutResponse.Builder response = MapPutResponse.newBuilder().setHadPrevious(existing != null);
    if (existing != null) {
      response.setPrevious(existing.getValue());
    } else {
      DataChecks.checkRoom(this, env.limits(), byKey.size(), 1);
    }
    if (existing == null || !request.getIfAbsent()) {
      MapEntry entry = entry(request.getKey(), request.getValue());
      checkStore(sizeOf(entry) - sizeOf(existing));
      store(key, entry);
    }
    ctx.reply(r -> r.setMapPut(response));
  }

  public void putAll(CallContext ctx, MapPutAllRequest request) {
    // Check everything first, so a refused batch changes nothing.
    Set<Key> newKeys = new HashSet<>();
    for (MapEntry entry : request.getEntriesList()) {
      checkEntry(entry.getKey(), entry.getValue());
      Key key = Key.of(entry.getKey());
      if (!byKey.containsKey(key)) {
        newKeys.add(key);
      }
    }
    DataChecks.checkRoom(this, env.limits(), byKey.size(), newKeys.size());
    // A key given twice is stored once, with its last value.
    Map<Key, MapEntry> last = new LinkedHashMap<>();
    for (MapEntry entry : request.getEntriesList()) {
      last.put(Key.of(entry.getKey()), entry(entry.getKey(), entry.getValue()));
    }
    long growth = 0;
    for (Map.Entry<Key, MapEntry> entry : last.entrySet()) {
      growth += sizeOf(entry.getValue()) - sizeOf(find(entry.getKey()));
    }
    checkStore(growth);
    for (MapEntry entry : request.getEntriesList()) {
      store(Key.of(entry.getKey()), entry(entry.getKey(), entry.getValue()));
    }
    long size = byKey.size();
    ctx.reply(r -> r.setMapPutAll(MapPutAllResponse.newBuilder().setSize(size)));
  }

  public void remove(CallContext ctx, MapRemoveRequest request) {
    Key key = Key.of(request.getKey());
    MapEntry existing = find(key);
    MapRemoveResponse.Builder response = MapRemoveResponse.newBuilder();
    if (existing != null) {
      // previous is the value found, whether or not it matched the expected one.
      response.setPrevious(existing.getValue());
      if (!request.hasExpected() || samePayload(existing.getValue(), request.getExpected())) {
        byPosition.remove(byKey.remove(key).position);
        stored(-sizeOf(existing));
        response.setRemoved(true);
      }
    }
    ctx.reply(r -> r.setMapRemove(response));
  }

  public void replace(CallContext ctx, MapReplaceRequest request) {
    checkEntry(request.getKey(), request.getValue());
    Key key = Key.of(request.getKey());
    MapEntry existing = find(key);
    MapReplaceResponse.Builder response = MapReplaceResponse.newBuilder();
    if (existing != null) {
      response.setPrevious(existing.getValue());
      if (!request.hasExpected() || samePayload(existing.getValue(), request.getExpected())) {
        MapEntry entry = entry(request.getKey(), request.getValue());
        checkStore(sizeOf(entry) - sizeOf(existing));
        store(key, entry);
        response.setReplaced(true);
      }
    }
    ctx.reply(r -> r.setMapReplace(response));
  }

  public void containsKey(CallContext ctx, MapContainsKeyRequest request) {
    boolean contains = byKey.containsKey(Key.of(request.getKey()));
    ctx.reply(r -> r.setMapContainsKey(MapContainsKeyResponse.newBuilder().setContains(contains)));
  }

  public void size(CallContext ctx, MapSizeRequest request) {
    long size = byKey.size();
    ctx.reply(r -> r.setMapSize(MapSizeResponse.newBuilder().setSize(size)));
  }

  public void entries(CallContext ctx, MapEntriesRequest request) {
    MapEntriesResponse.Builder snapshot = MapEntriesResponse.newBuilder();
    for (Slot slot : byPosition.values()) {
      snapshot.addEntries(slot.entry);
    }
    ctx.reply(r -> r.setMapEntries(snapshot));
  }

  /** A page of entries in insertion order, for iterators and views. */
  public void range(CallContext ctx, MapRangeRequest request) {
    int pageSize = Paging.pageSize(request.getPageSize());
    NavigableMap<Long, Slot> rest = byPosition;
    if (request.hasCursor()) {
      long cursor = request.getCursor();
      // Positions are unsigned on the wire; one at or past nextPosition was never handed out.
      if (Long.compareUnsigned(cursor, nextPosition) >= 0) {
        throw Paging.unknownCursor(this, Long.toUnsignedString(cursor));
      }
      rest = byPosition.tailMap(cursor, false);
    }
    MapRangeResponse.Builder response = MapRangeResponse.newBuilder();
    long bytes = 0;
    Iterator<Slot> slots = rest.values().iterator();
    Slot last = null;
    while (slots.hasNext()
        && response.getEntriesCount() < pageSize
        && (last == null || bytes < Paging.PAGE_BYTE_BUDGET)) {
      last = slots.next();
      response.addEntries(last.entry);
      bytes += last.entry.getSerializedSize();
    }
    if (last != null && slots.hasNext()) {
      response.setNextCursor(last.position);
    }
    ctx.reply(r -> r.setMapRange(response));
  }

  public void clear(CallContext ctx, MapClearRequest request) {
    byKey.clear();
    byPosition.clear();
    dropStored();
    ctx.reply(r -> r.setMapClear(MapClearResponse.getDefaultInstance()));
  }

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    MapSnapshot.Builder map = MapSnapshot.newBuilder().setNextPosition(nextPosition);
    for (Slot slot : byPosition.values()) {
      map.addEntries(slot.entry).addPositions(slot.position);
    }
    snapshot.setMap(map);
  }

  static MapObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env) {
    MapObject map = new MapObject(SharedObject.createRequest(snapshot).build(), env);
    MapSnapshot state = snapshot.getMap();
    boolean positioned = state.getPositionsCount() == state.getEntriesCount();
    for (int i = 0; i < state.getEntriesCount(); i++) {
      MapEntry entry = state.getEntries(i);
      Slot slot = new Slot(positioned ? state.getPositions(i) : i, entry);
      map.byKey.put(Key.of(entry.getKey()), slot);
      map.byPosition.put(slot.position, slot);
      map.stored(sizeOf(entry));
    }
    map.nextPosition =
        positioned
            ? state.getNextPosition()
            : Math.max(state.getNextPosition(), state.getEntriesCount());
    return map;
  }

  private MapEntry find(Key key) {
    Slot slot = byKey.get(key);
    return slot == null ? null : slot.entry;
  }

  /** A new key goes to the end of insertion order; an existing one keeps its place. */
  private void store(Key key, MapEntry entry) {
    Slot slot = byKey.get(key);
    stored(sizeOf(entry) - sizeOf(slot == null ? null : slot.entry));
    if (slot != null) {
      slot.entry = entry;
      return;
    }
    slot = new Slot(nextPosition++, entry);
    byKey.put(key, slot);
    byPosition.put(slot.position, slot);
  }

  /** What an entry counts as stored; an absent one (null) counts nothing. */
  private static long sizeOf(MapEntry entry) {
    return entry == null ? 0 : Limits.storedSize(entry.getSerializedSize());
  }

  private void checkEntry(Payload key, Payload value) {
    DataChecks.checkPayload(env.limits(), "a key of map '" + name + "'", key);
    DataChecks.checkPayload(env.limits(), "a value of map '" + name + "'", value);
  }

  private static MapEntry entry(Payload key, Payload value) {
    return MapEntry.newBuilder().setKey(key).setValue(value).build();
  }

  private static boolean samePayload(Payload a, Payload b) {
    return a.getCodec().equals(b.getCodec()) && a.getData().equals(b.getData());
  }
}
