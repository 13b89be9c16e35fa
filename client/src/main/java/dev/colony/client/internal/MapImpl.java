package dev.colony.client.internal;

import dev.colony.client.ColonyMap;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.MapClearRequest;
import dev.colony.proto.v1.MapContainsKeyRequest;
import dev.colony.proto.v1.MapEntriesRequest;
import dev.colony.proto.v1.MapEntry;
import dev.colony.proto.v1.MapGetRequest;
import dev.colony.proto.v1.MapGetResponse;
import dev.colony.proto.v1.MapPutAllRequest;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.MapPutResponse;
import dev.colony.proto.v1.MapRemoveRequest;
import dev.colony.proto.v1.MapReplaceRequest;
import dev.colony.proto.v1.MapReplaceResponse;
import dev.colony.proto.v1.MapSizeRequest;
import dev.colony.proto.v1.Payload;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Map proxy. Single-key operations are atomic on the coordinator; the views are snapshots, so the
 * ConcurrentMap default compute/merge loops run over get/putIfAbsent/replace/remove.
 */
final class MapImpl<K, V> extends AbstractMap<K, V> implements ColonyMap<K, V> {
  private final String name;
  private final Calls calls;
  private final Class<K> keyType;
  private final Codec<K> keys;
  private final Codec<V> values;

  MapImpl(String name, Calls calls, Class<K> keyType, Codec<K> keys, Codec<V> values) {
    this.name = name;
    this.calls = calls;
    this.keyType = keyType;
    this.keys = keys;
    this.values = values;
  }

  @Override
  public String name() {
    return name;
  }

  /** Encodes a key passed as Object; null when it cannot be a key of this map. */
  private Payload keyOrNull(Object key) {
    Objects.requireNonNull(key, "a ColonyMap has no null keys");
    if (!boxed(keyType).isInstance(key)) {
      return null;
    }
    return keys.encode(boxed(keyType).cast(key));
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> boxed(Class<T> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return (Class<T>) java.lang.invoke.MethodType.methodType(type).wrap().returnType();
  }

  private Payload value(V value) {
    return values.encode(Objects.requireNonNull(value, "a ColonyMap has no null values"));
  }

  @Override
  public V get(Object key) {
    Payload encoded = keyOrNull(key);
    if (encoded == null) {
      return null;
    }
    MapGetResponse got =
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder()
                        .setMapGet(MapGetRequest.newBuilder().setName(name).setKey(encoded))))
            .getMapGet();
    return got.getFound() ? values.decode(got.getValue()) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    Payload encoded = keyOrNull(key);
    if (encoded == null) {
      return false;
    }
    return ObjectProxy.checked(
            calls.run(
                Call.newBuilder()
                    .setMapContainsKey(
                        MapContainsKeyRequest.newBuilder().setName(name).setKey(encoded))))
        .getMapContainsKey()
        .getContains();
  }

  @Override
  public boolean containsValue(Object value) {
    Objects.requireNonNull(value, "a ColonyMap has no null values");
    return snapshot().containsValue(value);
  }

  @Override
  public V put(K key, V value) {
    return put(key, value, false);
  }

  @Override
  public V putIfAbsent(K key, V value) {
    return put(key, value, true);
  }

  private V put(K key, V value, boolean ifAbsent) {
    Objects.requireNonNull(key, "a ColonyMap has no null keys");
    MapPutResponse put =
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder()
                        .setMapPut(
                            MapPutRequest.newBuilder()
                                .setName(name)
                                .setKey(keys.encode(key))
                                .setValue(value(value))
                                .setIfAbsent(ifAbsent))))
            .getMapPut();
    return put.getHadPrevious() ? values.decode(put.getPrevious()) : null;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    MapPutAllRequest.Builder putAll = MapPutAllRequest.newBuilder().setName(name);
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      putAll.addEntries(
          MapEntry.newBuilder()
              .setKey(keys.encode(Objects.requireNonNull(entry.getKey(), "null key")))
              .setValue(value(entry.getValue())));
    }
    if (putAll.getEntriesCount() > 0) {
      ObjectProxy.checked(calls.run(Call.newBuilder().setMapPutAll(putAll)));
    }
  }

  @Override
  public V remove(Object key) {
    Payload encoded = keyOrNull(key);
    if (encoded == null) {
      return null;
    }
    var removed = remove(MapRemoveRequest.newBuilder().setName(name).setKey(encoded));
    return removed.getRemoved() ? values.decode(removed.getPrevious()) : null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public boolean remove(Object key, Object value) {
    Payload encoded = keyOrNull(key);
    if (encoded == null || value == null) {
      return false;
    }
    Payload expected;
    try {
      expected = values.encode((V) value);
    } catch (ClassCastException notAValue) {
      return false;
    }
    return remove(MapRemoveRequest.newBuilder().setName(name).setKey(encoded).setExpected(expected))
        .getRemoved();
  }

  private dev.colony.proto.v1.MapRemoveResponse remove(MapRemoveRequest.Builder request) {
    return ObjectProxy.checked(calls.run(Call.newBuilder().setMapRemove(request))).getMapRemove();
  }

  @Override
  public V replace(K key, V value) {
    MapReplaceResponse replaced =
        replace(
            MapReplaceRequest.newBuilder()
                .setName(name)
                .setKey(keys.encode(Objects.requireNonNull(key, "null key")))
                .setValue(value(value)));
    return replaced.getReplaced() ? values.decode(replaced.getPrevious()) : null;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return replace(
            MapReplaceRequest.newBuilder()
                .setName(name)
                .setKey(keys.encode(Objects.requireNonNull(key, "null key")))
                .setValue(value(newValue))
                .setExpected(value(oldValue)))
        .getReplaced();
  }

  private MapReplaceResponse replace(MapReplaceRequest.Builder request) {
    return ObjectProxy.checked(calls.run(Call.newBuilder().setMapReplace(request))).getMapReplace();
  }

  @Override
  public int size() {
    long size =
        ObjectProxy.checked(
                calls.run(Call.newBuilder().setMapSize(MapSizeRequest.newBuilder().setName(name))))
            .getMapSize()
            .getSize();
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public void clear() {
    ObjectProxy.checked(
        calls.run(Call.newBuilder().setMapClear(MapClearRequest.newBuilder().setName(name))));
  }

  /** Every entry, in insertion order, read in one call. */
  private Map<K, V> snapshot() {
    Map<K, V> copy = new LinkedHashMap<>();
    for (MapEntry entry :
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder().setMapEntries(MapEntriesRequest.newBuilder().setName(name))))
            .getMapEntries()
            .getEntriesList()) {
      copy.put(keys.decode(entry.getKey()), values.decode(entry.getValue()));
    }
    return copy;
  }

  /** A snapshot copy: changing it does not change the map. */
  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return Collections.unmodifiableMap(snapshot()).entrySet();
  }

  /** A snapshot copy: changing it does not change the map. */
  @Override
  public Set<K> keySet() {
    return Collections.unmodifiableSet(snapshot().keySet());
  }

  /** A snapshot copy: changing it does not change the map. */
  @Override
  public Collection<V> values() {
    return Collections.unmodifiableCollection(snapshot().values());
  }

  @Override
  public boolean equals(Object o) {
    return o == this || snapshot().equals(o);
  }

  @Override
  public int hashCode() {
    return snapshot().hashCode();
  }

  @Override
  public String toString() {
    return "ColonyMap[" + name + "]";
  }
}
