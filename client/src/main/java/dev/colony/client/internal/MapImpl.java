package dev.colony.client.internal;

import dev.colony.client.ColonyMap;
import dev.colony.client.ColonyMapAsync;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.MapClearRequest;
import dev.colony.proto.v1.MapContainsKeyRequest;
import dev.colony.proto.v1.MapEntry;
import dev.colony.proto.v1.MapGetRequest;
import dev.colony.proto.v1.MapGetResponse;
import dev.colony.proto.v1.MapPutAllRequest;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.MapPutResponse;
import dev.colony.proto.v1.MapRangeRequest;
import dev.colony.proto.v1.MapRangeResponse;
import dev.colony.proto.v1.MapRemoveRequest;
import dev.colony.proto.v1.MapReplaceRequest;
import dev.colony.proto.v1.MapReplaceResponse;
import dev.colony.proto.v1.MapSizeRequest;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.Reply;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A Map proxy. Single-key operations are atomic on the coordinator, and the ConcurrentMap default
 * compute/merge loops run over get/putIfAbsent/replace/remove. The views write through, as
 * ConcurrentHashMap's do, and page through the map (MapRange) whenever they iterate.
 */
final class MapImpl<K, V> extends AbstractMap<K, V> implements ColonyMap<K, V> {
  private final String name;
  private final Calls calls;
  private final Class<K> keyType;
  private final Codec<K> keys;
  private final Codec<V> values;
  private final int pageSize;
  private final Set<Map.Entry<K, V>> entrySet = new EntrySetView();
  private final Set<K> keySet = new KeySetView();
  private final Collection<V> valuesView = new ValuesView();

  MapImpl(
      String name, Calls calls, Class<K> keyType, Codec<K> keys, Codec<V> values, int pageSize) {
    this.name = name;
    this.calls = calls;
    this.keyType = keyType;
    this.keys = keys;
    this.values = values;
    this.pageSize = pageSize;
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

  /** Pages through the values, comparing with {@code equals}. */
  @Override
  public boolean containsValue(Object value) {
    Objects.requireNonNull(value, "a ColonyMap has no null values");
    for (V v : values()) {
      if (value.equals(v)) {
        return true;
      }
    }
    return false;
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
    return previous(ObjectProxy.checked(calls.run(putCall(key, value, ifAbsent))));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    MapPutAllRequest.Builder putAll = putAllRequest(map);
    if (putAll.getEntriesCount() > 0) {
      ObjectProxy.checked(calls.run(Call.newBuilder().setMapPutAll(putAll)));
    }
  }

  private MapPutAllRequest.Builder putAllRequest(Map<? extends K, ? extends V> map) {
    MapPutAllRequest.Builder putAll = MapPutAllRequest.newBuilder().setName(name);
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      putAll.addEntries(
          MapEntry.newBuilder()
              .setKey(keys.encode(Objects.requireNonNull(entry.getKey(), "null key")))
              .setValue(value(entry.getValue())));
    }
    return putAll;
  }

  private Call.Builder putCall(K key, V value, boolean ifAbsent) {
    Objects.requireNonNull(key, "a ColonyMap has no null keys");
    return Call.newBuilder()
        .setMapPut(
            MapPutRequest.newBuilder()
                .setName(name)
                .setKey(keys.encode(key))
                .setValue(value(value))
                .setIfAbsent(ifAbsent));
  }

  // ---- the async view -------------------------------------------------------------------

  private final ColonyMapAsync<K, V> async = new Async();

  @Override
  public ColonyMapAsync<K, V> async() {
    return async;
  }

  private final class Async implements ColonyMapAsync<K, V> {
    @Override
    public CompletableFuture<V> get(K key) {
      Objects.requireNonNull(key, "a ColonyMap has no null keys");
      return calls.async(
          Call.newBuilder()
              .setMapGet(MapGetRequest.newBuilder().setName(name).setKey(keys.encode(key))),
          r -> r.getMapGet().getFound() ? values.decode(r.getMapGet().getValue()) : null,
          null);
    }

    @Override
    public CompletableFuture<V> put(K key, V value) {
      return calls.async(putCall(key, value, false), MapImpl.this::previous, null);
    }

    @Override
    public CompletableFuture<V> putIfAbsent(K key, V value) {
      return calls.async(putCall(key, value, true), MapImpl.this::previous, null);
    }

    @Override
    public CompletableFuture<V> remove(K key) {
      Objects.requireNonNull(key, "a ColonyMap has no null keys");
      return calls.async(
          Call.newBuilder()
              .setMapRemove(MapRemoveRequest.newBuilder().setName(name).setKey(keys.encode(key))),
          r -> r.getMapRemove().getRemoved() ? values.decode(r.getMapRemove().getPrevious()) : null,
          null);
    }

    @Override
    public CompletableFuture<Boolean> containsKey(K key) {
      Objects.requireNonNull(key, "a ColonyMap has no null keys");
      return calls.async(
          Call.newBuilder()
              .setMapContainsKey(
                  MapContainsKeyRequest.newBuilder().setName(name).setKey(keys.encode(key))),
          r -> r.getMapContainsKey().getContains(),
          null);
    }

    @Override
    public CompletableFuture<Void> putAll(Map<? extends K, ? extends V> entries) {
      MapPutAllRequest.Builder putAll = putAllRequest(entries);
      if (putAll.getEntriesCount() == 0) {
        return CompletableFuture.completedFuture(null);
      }
      return calls.async(Call.newBuilder().setMapPutAll(putAll), r -> null, null);
    }
  }

  private V previous(Reply reply) {
    MapPutResponse put = reply.getMapPut();
    return put.getHadPrevious() ? values.decode(put.getPrevious()) : null;
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

  /** The entries in insertion order, a page per call; remove() removes the key from the map. */
  private <T> Iterator<T> pages(Function<MapEntry, T> decode) {
    return new PagedIterator<>(this::page, decode, entry -> removeKey(entry.getKey()));
  }

  private PagedIterator.Page<MapEntry, Long> page(Long cursor) {
    MapRangeRequest.Builder range =
        MapRangeRequest.newBuilder().setName(name).setPageSize(pageSize);
    if (cursor != null) {
      range.setCursor(cursor);
    }
    MapRangeResponse page =
        ObjectProxy.checked(calls.run(Call.newBuilder().setMapRange(range))).getMapRange();
    return new PagedIterator.Page<>(
        page.getEntriesList(), page.hasNextCursor() ? page.getNextCursor() : null);
  }

  private void removeKey(Payload key) {
    remove(MapRemoveRequest.newBuilder().setName(name).setKey(key));
  }

  /** Removes {@code key} only while it still maps to {@code value} (ConcurrentHashMap's views). */
  private boolean removeIfStill(MapEntry entry) {
    return remove(
            MapRemoveRequest.newBuilder()
                .setName(name)
                .setKey(entry.getKey())
                .setExpected(entry.getValue()))
        .getRemoved();
  }

  private Map.Entry<K, V> entry(MapEntry entry) {
    return new WriteThroughEntry(keys.decode(entry.getKey()), values.decode(entry.getValue()));
  }

  /** Removes the entries whose decoded form matches, each only if unchanged since it was read. */
  private <T> boolean removeWhere(Function<MapEntry, T> decode, Predicate<? super T> matches) {
    boolean removed = false;
    Iterator<MapEntry> entries = PagedIterator.raw(this::page);
    while (entries.hasNext()) {
      MapEntry entry = entries.next();
      if (matches.test(decode.apply(entry)) && removeIfStill(entry)) {
        removed = true;
      }
    }
    return removed;
  }

  /** Weakly consistent spliterators: the size may change while a stream runs. */
  private static <T> Spliterator<T> spliterator(Iterator<T> iterator, int characteristics) {
    return Spliterators.spliteratorUnknownSize(
        iterator, characteristics | Spliterator.NONNULL | Spliterator.CONCURRENT);
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return entrySet;
  }

  @Override
  public Set<K> keySet() {
    return keySet;
  }

  @Override
  public Collection<V> values() {
    return valuesView;
  }

  /** An entry read by an iterator; setValue writes through to the map, as ConcurrentHashMap's. */
  private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V> {
    WriteThroughEntry(K key, V value) {
      super(key, value);
    }

    @Override
    public V setValue(V value) {
      Objects.requireNonNull(value, "a ColonyMap has no null values");
      put(getKey(), value);
      return super.setValue(value);
    }
  }

  private final class EntrySetView extends AbstractSet<Map.Entry<K, V>> {
    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
      return pages(MapImpl.this::entry);
    }

    @Override
    public Spliterator<Map.Entry<K, V>> spliterator() {
      return MapImpl.spliterator(iterator(), Spliterator.DISTINCT);
    }

    @Override
    public int size() {
      return MapImpl.this.size();
    }

    @Override
    public boolean isEmpty() {
      return MapImpl.this.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
      if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
        return false;
      }
      V current = get(e.getKey());
      return current != null && current.equals(e.getValue());
    }

    @Override
    public boolean remove(Object o) {
      return o instanceof Map.Entry<?, ?> e
          && e.getKey() != null
          && e.getValue() != null
          && MapImpl.this.remove(e.getKey(), e.getValue());
    }

    /** Puts the entry; true if the key was absent (ConcurrentHashMap's entry set does this). */
    @Override
    public boolean add(Map.Entry<K, V> e) {
      return put(e.getKey(), e.getValue()) == null;
    }

    @Override
    public boolean removeIf(Predicate<? super Map.Entry<K, V>> filter) {
      Objects.requireNonNull(filter, "filter");
      return removeWhere(MapImpl.this::entry, filter);
    }

    @Override
    public void clear() {
      MapImpl.this.clear();
    }
  }

  private final class KeySetView extends AbstractSet<K> {
    @Override
    public Iterator<K> iterator() {
      return pages(entry -> keys.decode(entry.getKey()));
    }

    @Override
    public Spliterator<K> spliterator() {
      return MapImpl.spliterator(iterator(), Spliterator.DISTINCT);
    }

    @Override
    public int size() {
      return MapImpl.this.size();
    }

    @Override
    public boolean isEmpty() {
      return MapImpl.this.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
      return containsKey(o);
    }

    @Override
    public boolean remove(Object o) {
      return MapImpl.this.remove(o) != null;
    }

    @Override
    public void clear() {
      MapImpl.this.clear();
    }
  }

  private final class ValuesView extends AbstractCollection<V> {
    @Override
    public Iterator<V> iterator() {
      return pages(entry -> values.decode(entry.getValue()));
    }

    @Override
    public Spliterator<V> spliterator() {
      return MapImpl.spliterator(iterator(), 0);
    }

    @Override
    public int size() {
      return MapImpl.this.size();
    }

    @Override
    public boolean isEmpty() {
      return MapImpl.this.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
      return containsValue(o);
    }

    /** Removes one key mapped to a value equal to {@code o}, if it still is when removed. */
    @Override
    public boolean remove(Object o) {
      Objects.requireNonNull(o, "a ColonyMap has no null values");
      Iterator<MapEntry> entries = PagedIterator.raw(MapImpl.this::page);
      while (entries.hasNext()) {
        MapEntry entry = entries.next();
        if (o.equals(values.decode(entry.getValue())) && removeIfStill(entry)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean removeIf(Predicate<? super V> filter) {
      Objects.requireNonNull(filter, "filter");
      return removeWhere(entry -> values.decode(entry.getValue()), filter);
    }

    @Override
    public void clear() {
      MapImpl.this.clear();
    }
  }
}
