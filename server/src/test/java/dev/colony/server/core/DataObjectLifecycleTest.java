package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.BarrierAwaitRequest;
import dev.colony.proto.v1.BarrierOptions;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.EventSetRequest;
import dev.colony.proto.v1.EventWaitRequest;
import dev.colony.proto.v1.LatchAwaitRequest;
import dev.colony.proto.v1.LatchOptions;
import dev.colony.proto.v1.ListAddRequest;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectDeleteRequest;
import dev.colony.proto.v1.ObjectDescribeRequest;
import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectListRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ObjectDelete, ObjectList and ObjectDescribe over the Event, Barrier, Latch and data objects. */
class DataObjectLifecycleTest {
  private final CoreHarness h = new CoreHarness();
  private String s;

  @BeforeEach
  void createObjects() {
    s = h.session("s1");
    h.create(s, "event", ObjectType.EVENT);
    h.create(
        s,
        ObjectCreateRequest.newBuilder()
            .setName("barrier")
            .setType(ObjectType.BARRIER)
            .setBarrier(BarrierOptions.newBuilder().setParties(3)));
    h.create(
        s,
        ObjectCreateRequest.newBuilder()
            .setName("latch")
            .setType(ObjectType.COUNT_DOWN_LATCH)
            .setLatch(LatchOptions.newBuilder().setCount(4)));
    h.create(s, "value", ObjectType.VALUE);
    h.create(s, "map", ObjectType.MAP);
    h.create(s, "list", ObjectType.LIST);
  }

  @Test
  void delete_failsEveryWaiterWithObjectNotFound() {
    var eventWait =
        h.call(s, Call.newBuilder().setEventWait(EventWaitRequest.newBuilder().setName("event")));
    var barrierWait =
        h.call(
            s,
            Call.newBuilder().setBarrierAwait(BarrierAwaitRequest.newBuilder().setName("barrier")));
    var latchWait =
        h.call(s, Call.newBuilder().setLatchAwait(LatchAwaitRequest.newBuilder().setName("latch")));

    for (String name : List.of("event", "barrier", "latch")) {
      assertTrue(delete(name), name);
    }

    ExpectFailure.of(eventWait, CoreException.Code.NOT_FOUND, ErrorReason.OBJECT_NOT_FOUND);
    ExpectFailure.of(barrierWait, CoreException.Code.NOT_FOUND, ErrorReason.OBJECT_NOT_FOUND);
    ExpectFailure.of(latchWait, CoreException.Code.NOT_FOUND, ErrorReason.OBJECT_NOT_FOUND);
    // The session no longer tracks them: its expiry must not reply to them again.
    h.advance(10_000);
    eventWait.failure();
  }

  @Test
  void delete_thenUse_failsObjectNotFound() {
    assertTrue(delete("event"));
    assertFalse(delete("event"));
    var set =
        h.call(s, Call.newBuilder().setEventSet(EventSetRequest.newBuilder().setName("event")));
    ExpectFailure.of(set, CoreException.Code.NOT_FOUND, ErrorReason.OBJECT_NOT_FOUND);
  }

  @Test
  void objectList_reportsEveryObjectWithTypeSizeAndWaiters() {
    h.call(s, Call.newBuilder().setEventWait(EventWaitRequest.newBuilder().setName("event")));
    h.call(
        s, Call.newBuilder().setBarrierAwait(BarrierAwaitRequest.newBuilder().setName("barrier")));
    h.call(
        s,
        Call.newBuilder()
            .setMapPut(MapPutRequest.newBuilder().setName("map").setKey(p("k")).setValue(p("v"))));
    h.call(
        s,
        Call.newBuilder()
            .setListAdd(
                ListAddRequest.newBuilder().setName("list").addItems(p("a")).addItems(p("b"))));

    Map<String, ObjectInfo> byName =
        h
            .call(s, Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance()))
            .reply()
            .getObjectList()
            .getObjectsList()
            .stream()
            .collect(Collectors.toMap(ObjectInfo::getName, Function.identity()));

    assertEquals(6, byName.size());
    assertEquals(ObjectType.EVENT, byName.get("event").getType());
    assertEquals(1, byName.get("event").getWaiters());
    assertEquals(ObjectType.BARRIER, byName.get("barrier").getType());
    assertEquals(1, byName.get("barrier").getSize());
    assertEquals("parties=3", byName.get("barrier").getDetail());
    assertEquals(ObjectType.COUNT_DOWN_LATCH, byName.get("latch").getType());
    assertEquals(4, byName.get("latch").getSize());
    assertEquals(ObjectType.VALUE, byName.get("value").getType());
    assertEquals("long 0", byName.get("value").getDetail());
    assertEquals(1, byName.get("map").getSize());
    assertEquals(2, byName.get("list").getSize());
  }

  @Test
  void objectDescribe_reportsOneObject() {
    ObjectInfo info =
        h.call(
                s,
                Call.newBuilder()
                    .setObjectDescribe(ObjectDescribeRequest.newBuilder().setName("latch")))
            .reply()
            .getObjectDescribe()
            .getInfo();
    assertEquals("latch", info.getName());
    assertEquals(ObjectType.COUNT_DOWN_LATCH, info.getType());
    assertEquals(4, info.getSize());
    assertEquals("count=4", info.getDetail());
  }

  @Test
  void create_ofExistingNameAsOtherType_failsWrongType() {
    var create =
        h.call(
            s,
            Call.newBuilder()
                .setObjectCreate(
                    ObjectCreateRequest.newBuilder().setName("map").setType(ObjectType.LIST)));
    ExpectFailure.of(create, CoreException.Code.FAILED_PRECONDITION, ErrorReason.WRONG_TYPE);
  }

  private boolean delete(String name) {
    return h.call(
            s, Call.newBuilder().setObjectDelete(ObjectDeleteRequest.newBuilder().setName(name)))
        .reply()
        .getObjectDelete()
        .getDeleted();
  }

  private static Payload p(String text) {
    return Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8(text)).build();
  }
}
