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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A MAP (Python dict / Java {@code ConcurrentMap}) in insertion order. Keys and values are opaque
 * payloads compared by codec and bytes, so the coordinator never decodes them; the conditional
 * operations (putIfAbsent, remove and replace with an expected value) make the SDK's ConcurrentMap
 * CAS loops work.
 */
final class MapObject extends SharedObject {
  /** A key by value; a record rather than the Payload message so unknown fields never count. */
  private record Key(String codec, ByteString data) {
    static Key of(Payload payload) {
      return new Key(payload.getCodec(), payload.getData());
    }
  }

  private final Map<Key, MapEntry> entries = new LinkedHashMap<>();

  MapObject(ObjectCreateRequest request, CoreEnv env) {
    super(request.getName(), request.getType(), env);
  }

  @Override
  public ObjectInfo info() {
    return ObjectInfo.newBuilder().setName(name).setType(type).setSize(entries.size()).build();
  }

  /** Maps have no options, so any request of the same type is accepted. */
  @Override
  public void checkOptions(ObjectCreateRequest request) {}

  /** Nobody waits on a Map, so there is nothing to fail. */
  @Override
  public void delete() {}

  public void get(CallContext ctx, MapGetRequest request) {
    MapEntry entry = entries.get(Key.of(request.getKey()));
    MapGetResponse.Builder response = MapGetResponse.newBuilder().setFound(entry != null);
    if (entry != null) {
      response.setValue(entry.getValue());
    }
    ctx.reply(r -> r.setMapGet(response));
  }

  public void put(CallContext ctx, MapPutRequest request) {
    checkEntry(request.getKey(), request.getValue());
    Key key = Key.of(request.getKey());
    MapEntry existing = entries.get(key);
    MapPutResponse.Builder response = MapPutResponse.newBuilder().setHadPrevious(existing != null);
    if (existing != null) {
      response.setPrevious(existing.getValue());
    } else {
      DataChecks.checkRoom(this, env.limits(), entries.size(), 1);
    }
    if (existing == null || !request.getIfAbsent()) {
      entries.put(key, entry(request.getKey(), request.getValue()));
    }
    ctx.reply(r -> r.setMapPut(response));
  }

  public void putAll(CallContext ctx, MapPutAllRequest request) {
    // Check everything first, so a refused batch changes nothing.
    Set<Key> newKeys = new HashSet<>();
    for (MapEntry entry : request.getEntriesList()) {
      checkEntry(entry.getKey(), entry.getValue());
      Key key = Key.of(entry.getKey());
      if (!entries.containsKey(key)) {
        newKeys.add(key);
      }
    }
    DataChecks.checkRoom(this, env.limits(), entries.size(), newKeys.size());
    for (MapEntry entry : request.getEntriesList()) {
      entries.put(Key.of(entry.getKey()), entry(entry.getKey(), entry.getValue()));
    }
    long size = entries.size();
    ctx.reply(r -> r.setMapPutAll(MapPutAllResponse.newBuilder().setSize(size)));
  }

  public void remove(CallContext ctx, MapRemoveRequest request) {
    Key key = Key.of(request.getKey());
    MapEntry existing = entries.get(key);
    MapRemoveResponse.Builder response = MapRemoveResponse.newBuilder();
    if (existing != null) {
      // previous is the value found, whether or not it matched the expected one.
      response.setPrevious(existing.getValue());
      if (!request.hasExpected() || samePayload(existing.getValue(), request.getExpected())) {
        entries.remove(key);
        response.setRemoved(true);
      }
    }
    ctx.reply(r -> r.setMapRemove(response));
  }

  public void replace(CallContext ctx, MapReplaceRequest request) {
    checkEntry(request.getKey(), request.getValue());
    Key key = Key.of(request.getKey());
    MapEntry existing = entries.get(key);
    MapReplaceResponse.Builder response = MapReplaceResponse.newBuilder();
    if (existing != null) {
      response.setPrevious(existing.getValue());
      if (!request.hasExpected() || samePayload(existing.getValue(), request.getExpected())) {
        entries.put(key, entry(request.getKey(), request.getValue()));
        response.setReplaced(true);
      }
    }
    ctx.reply(r -> r.setMapReplace(response));
  }

  public void containsKey(CallContext ctx, MapContainsKeyRequest request) {
    boolean contains = entries.containsKey(Key.of(request.getKey()));
    ctx.reply(r -> r.setMapContainsKey(MapContainsKeyResponse.newBuilder().setContains(contains)));
  }

  public void size(CallContext ctx, MapSizeRequest request) {
    long size = entries.size();
    ctx.reply(r -> r.setMapSize(MapSizeResponse.newBuilder().setSize(size)));
  }

  public void entries(CallContext ctx, MapEntriesRequest request) {
    MapEntriesResponse snapshot =
        MapEntriesResponse.newBuilder().addAllEntries(entries.values()).build();
    ctx.reply(r -> r.setMapEntries(snapshot));
  }

  public void clear(CallContext ctx, MapClearRequest request) {
    entries.clear();
    ctx.reply(r -> r.setMapClear(MapClearResponse.getDefaultInstance()));
  }

  @Override
  void writeState(ObjectSnapshot.Builder snapshot, SnapshotWriter writer) {
    snapshot.setMap(MapSnapshot.newBuilder().addAllEntries(entries.values()));
  }

  static MapObject fromSnapshot(ObjectSnapshot snapshot, CoreEnv env) {
    MapObject map = new MapObject(SharedObject.createRequest(snapshot).build(), env);
    for (MapEntry entry : snapshot.getMap().getEntriesList()) {
      map.entries.put(Key.of(entry.getKey()), entry);
    }
    return map;
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
