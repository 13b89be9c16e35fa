package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import dev.colony.proto.v1.ListAddRequest;
import dev.colony.proto.v1.ListClearRequest;
import dev.colony.proto.v1.ListGetRequest;
import dev.colony.proto.v1.ListRangeRequest;
import dev.colony.proto.v1.ListRemoveRequest;
import dev.colony.proto.v1.ListSetRequest;
import dev.colony.proto.v1.ListSizeRequest;
import dev.colony.proto.v1.ObjectDescribeRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListObjectTest {
  private CoreHarness h = new CoreHarness();
  private String s;

  @BeforeEach
  void createList() {
    s = h.session("s1");
    h.create(s, "x", ObjectType.LIST);
  }

  @Test
  void add_appendsAndInsertsAtIndex() {
    assertEquals(2, add(null, "a", "c").reply().getListAdd().getSize());
    assertEquals(3, add(1L, "b").reply().getListAdd().getSize());
    assertEquals(4, add(0L, "start").reply().getListAdd().getSize());
    assertEquals(5, add(4L, "end").reply().getListAdd().getSize()); // index == size appends
    assertEquals(
        items("start", "a", "b", "c", "end"), range(0, 0).reply().getListRange().getItemsList());
  }

  @Test
  void getSetRemove_workOnIndexes() {
    add(null, "a", "b", "c").reply();
    assertEquals(p("b"), get(1).reply().getListGet().getItem());
    assertEquals(p("b"), set(1, "B").reply().getListSet().getPrevious());
    assertEquals(p("a"), remove(0).reply().getListRemove().getRemoved());
    assertEquals(items("B", "c"), range(0, 0).reply().getListRange().getItemsList());
    assertEquals(2, size());
  }

  @Test
  void get_outsideList_failsIndexOutOfRangeWithClearMessage() {
    add(null, "a", "b", "c").reply();
    Failure failure =
        ExpectFailure.of(get(7), CoreException.Code.OUT_OF_RANGE, ErrorReason.INDEX_OUT_OF_RANGE);
    assertEquals("index 7 is outside the list 'x' of size 3", failure.getMessage());
    ExpectFailure.of(get(3), CoreException.Code.OUT_OF_RANGE, ErrorReason.INDEX_OUT_OF_RANGE);
    ExpectFailure.of(get(-1), CoreException.Code.OUT_OF_RANGE, ErrorReason.INDEX_OUT_OF_RANGE);
  }

  @Test
  void setRemoveAndAdd_outsideList_failIndexOutOfRangeAndChangeNothing() {
    add(null, "a").reply();
    ExpectFailure.of(set(1, "z"), CoreException.Code.OUT_OF_RANGE, ErrorReason.INDEX_OUT_OF_RANGE);
    ExpectFailure.of(remove(1), CoreException.Code.OUT_OF_RANGE, ErrorReason.INDEX_OUT_OF_RANGE);
    ExpectFailure.of(remove(-1), CoreException.Code.OUT_OF_RANGE, ErrorReason.INDEX_OUT_OF_RANGE);
    ExpectFailure.of(add(2L, "z"), CoreException.Code.OUT_OF_RANGE, ErrorReason.INDEX_OUT_OF_RANGE);
    ExpectFailure.of(
        add(-1L, "z"), CoreException.Code.OUT_OF_RANGE, ErrorReason.INDEX_OUT_OF_RANGE);
    assertEquals(items("a"), range(0, 0).reply().getListRange().getItemsList());
  }

  @Test
  void get_onEmptyList_failsIndexOutOfRange() {
    Failure failure =
        ExpectFailure.of(get(0), CoreException.Code.OUT_OF_RANGE, ErrorReason.INDEX_OUT_OF_RANGE);
    assertEquals("index 0 is outside the list 'x' of size 0", failure.getMessage());
  }

  @Test
  void range_returnsSliceWithToZeroMeaningEnd() {
    add(null, "a", "b", "c", "d").reply();
    assertEquals(items("b", "c"), range(1, 3).reply().getListRange().getItemsList());
    assertEquals(items("c", "d"), range(2, 0).reply().getListRange().getItemsList());
    assertEquals(items(), range(4, 4).reply().getListRange().getItemsList());
    assertEquals(items(), range(4, 0).reply().getListRange().getItemsList());
  }

  @Test
  void range_withBadBounds_failsIndexOutOfRange() {
    add(null, "a", "b", "c").reply();
    for (long[] bounds : new long[][] {{-1, 2}, {2, 1}, {0, 4}, {4, 0}}) {
      ExpectFailure.of(
          range(bounds[0], bounds[1]),
          CoreException.Code.OUT_OF_RANGE,
          ErrorReason.INDEX_OUT_OF_RANGE);
    }
  }

  @Test
  void add_pastItemLimit_failsLimitExceededAndAddsNothing() {
    useLimits(1 << 20, 3);
    add(null, "a", "b").reply();
    ExpectFailure.of(
        add(null, "c", "d"), CoreException.Code.RESOURCE_EXHAUSTED, ErrorReason.LIMIT_EXCEEDED);
    assertEquals(2, size());
    add(null, "c").reply();
    assertEquals(3, size());
  }

  @Test
  void addAndSet_withItemOverPayloadLimit_failPayloadTooLarge() {
    useLimits(4, 100);
    ExpectFailure.of(
        add(null, "ok", "12345"),
        CoreException.Code.RESOURCE_EXHAUSTED,
        ErrorReason.PAYLOAD_TOO_LARGE);
    assertEquals(0, size());
    add(null, "ok").reply();
    ExpectFailure.of(
        set(0, "12345"), CoreException.Code.RESOURCE_EXHAUSTED, ErrorReason.PAYLOAD_TOO_LARGE);
    assertEquals(p("ok"), get(0).reply().getListGet().getItem());
  }

  @Test
  void clear_emptiesListAndInfoReportsSize() {
    add(null, "a", "b").reply();
    assertEquals(2, describeSize());
    h.call(s, Call.newBuilder().setListClear(ListClearRequest.newBuilder().setName("x"))).reply();
    assertEquals(0, size());
    assertEquals(0, describeSize());
    assertTrue(range(0, 0).reply().getListRange().getItemsList().isEmpty());
  }

  private void useLimits(int maxPayloadBytes, long maxItems) {
    h = new CoreHarness(ExpectFailure.limits(maxPayloadBytes, 100, maxItems));
    s = h.session("s1");
    h.create(s, "x", ObjectType.LIST);
  }

  private static Payload p(String text) {
    return Payload.newBuilder().setCodec("string").setData(ByteString.copyFromUtf8(text)).build();
  }

  private static List<Payload> items(String... texts) {
    return Arrays.stream(texts).map(ListObjectTest::p).toList();
  }

  private CoreHarness.PendingCall add(Long index, String... texts) {
    ListAddRequest.Builder add = ListAddRequest.newBuilder().setName("x").addAllItems(items(texts));
    if (index != null) {
      add.setIndex(index);
    }
    return h.call(s, Call.newBuilder().setListAdd(add));
  }

  private CoreHarness.PendingCall get(long index) {
    return h.call(
        s, Call.newBuilder().setListGet(ListGetRequest.newBuilder().setName("x").setIndex(index)));
  }

  private CoreHarness.PendingCall set(long index, String text) {
    return h.call(
        s,
        Call.newBuilder()
            .setListSet(ListSetRequest.newBuilder().setName("x").setIndex(index).setItem(p(text))));
  }

  private CoreHarness.PendingCall remove(long index) {
    return h.call(
        s,
        Call.newBuilder()
            .setListRemove(ListRemoveRequest.newBuilder().setName("x").setIndex(index)));
  }

  private CoreHarness.PendingCall range(long from, long to) {
    return h.call(
        s,
        Call.newBuilder()
            .setListRange(ListRangeRequest.newBuilder().setName("x").setFrom(from).setTo(to)));
  }

  private long size() {
    return h.call(s, Call.newBuilder().setListSize(ListSizeRequest.newBuilder().setName("x")))
        .reply()
        .getListSize()
        .getSize();
  }

  private long describeSize() {
    return h.call(
            s, Call.newBuilder().setObjectDescribe(ObjectDescribeRequest.newBuilder().setName("x")))
        .reply()
        .getObjectDescribe()
        .getInfo()
        .getSize();
  }
}
