package dev.colony.client.internal;

import dev.colony.client.ColonyList;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ListAddRequest;
import dev.colony.proto.v1.ListClearRequest;
import dev.colony.proto.v1.ListGetRequest;
import dev.colony.proto.v1.ListRangeRequest;
import dev.colony.proto.v1.ListRemoveRequest;
import dev.colony.proto.v1.ListSetRequest;
import dev.colony.proto.v1.ListSizeRequest;
import dev.colony.proto.v1.Payload;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/** A List proxy: index operations are single calls, whole-list reads use one snapshot. */
final class ListImpl<T> extends AbstractList<T> implements ColonyList<T> {
  private final String name;
  private final Calls calls;
  private final Codec<T> codec;

  ListImpl(String name, Calls calls, Codec<T> codec) {
    this.name = name;
    this.calls = calls;
    this.codec = codec;
  }

  @Override
  public String name() {
    return name;
  }

  private Payload encode(T item) {
    return codec.encode(Objects.requireNonNull(item, "a ColonyList has no null items"));
  }

  @Override
  public T get(int index) {
    return codec.decode(
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder()
                        .setListGet(ListGetRequest.newBuilder().setName(name).setIndex(index))))
            .getListGet()
            .getItem());
  }

  @Override
  public T set(int index, T item) {
    return codec.decode(
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder()
                        .setListSet(
                            ListSetRequest.newBuilder()
                                .setName(name)
                                .setIndex(index)
                                .setItem(encode(item)))))
            .getListSet()
            .getPrevious());
  }

  @Override
  public boolean add(T item) {
    add(ListAddRequest.newBuilder().setName(name).addItems(encode(item)));
    return true;
  }

  @Override
  public void add(int index, T item) {
    add(ListAddRequest.newBuilder().setName(name).setIndex(index).addItems(encode(item)));
  }

  @Override
  public boolean addAll(Collection<? extends T> items) {
    ListAddRequest.Builder add = ListAddRequest.newBuilder().setName(name);
    items.forEach(item -> add.addItems(encode(item)));
    if (add.getItemsCount() == 0) {
      return false;
    }
    add(add);
    return true;
  }

  @Override
  public boolean addAll(int index, Collection<? extends T> items) {
    ListAddRequest.Builder add = ListAddRequest.newBuilder().setName(name).setIndex(index);
    items.forEach(item -> add.addItems(encode(item)));
    if (add.getItemsCount() == 0) {
      return false;
    }
    add(add);
    return true;
  }

  private void add(ListAddRequest.Builder request) {
    ObjectProxy.checked(calls.run(Call.newBuilder().setListAdd(request)));
  }

  @Override
  public T remove(int index) {
    return codec.decode(
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder()
                        .setListRemove(
                            ListRemoveRequest.newBuilder().setName(name).setIndex(index))))
            .getListRemove()
            .getRemoved());
  }

  @Override
  public boolean remove(Object item) {
    throw new UnsupportedOperationException(
        "ColonyList '"
            + name
            + "' does not support remove(Object): it cannot be atomic; use remove(int)");
  }

  @Override
  public int size() {
    long size =
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder().setListSize(ListSizeRequest.newBuilder().setName(name))))
            .getListSize()
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
        calls.run(Call.newBuilder().setListClear(ListClearRequest.newBuilder().setName(name))));
  }

  /** Every item, read in one call. */
  List<T> snapshot() {
    List<T> copy = new ArrayList<>();
    for (Payload item :
        ObjectProxy.checked(
                calls.run(
                    Call.newBuilder()
                        .setListRange(
                            ListRangeRequest.newBuilder().setName(name).setFrom(0).setTo(0))))
            .getListRange()
            .getItemsList()) {
      copy.add(codec.decode(item));
    }
    return copy;
  }

  /** Iterates over a snapshot; it cannot remove (use {@link #remove(int)}). */
  @Override
  public Iterator<T> iterator() {
    return Collections.unmodifiableList(snapshot()).iterator();
  }

  @Override
  public Object[] toArray() {
    return snapshot().toArray();
  }

  @Override
  public <A> A[] toArray(A[] array) {
    return snapshot().toArray(array);
  }

  @Override
  public boolean contains(Object o) {
    return snapshot().contains(o);
  }

  @Override
  public int indexOf(Object o) {
    return snapshot().indexOf(o);
  }

  @Override
  public int lastIndexOf(Object o) {
    return snapshot().lastIndexOf(o);
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
    return snapshot().toString();
  }
}
