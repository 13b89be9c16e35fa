package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
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
import dev.colony.proto.v1.MapRemoveResponse;
import dev.colony.proto.v1.MapReplaceRequest;
import dev.colony.proto.v1.MapReplaceResponse;
import dev.colony.proto.v1.MapSizeRequest;
import dev.colony.proto.v1.ObjectDescribeRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Payload;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MapObjectTest {
  private CoreHarness h = new CoreHarness();
  private String s;

  @BeforeEach
  void createMap() {
    s = h.session("s1");
    h.create(s, "m", ObjectType.MAP);
  }

  @Test
  void put_thenGet_returnsValueAndPrevious() {
    MapPutResponse first = put("a", "1", false).reply().getMapPut();
    assertFalse(first.getHadPrevious());
    MapPutResponse second = put("a", "2", false).reply().getMapPut();
    assertTrue(second.getHadPrevious());
    assertEquals(p("1"), second.getPrevious());
    MapGetResponse got = get("a");
    assertTrue(got.getFound());
    assertEquals(p("2"), got.getValue());
    assertFalse(get("missing").getFound());
    assertTrue(containsKey("a"));
    assertFalse(containsKey("missing"));
    assertEquals(1, size());
  }

  @Test
  void put_ifAbsent_leavesExistingMappingAlone() {
    put("a", "1", false).reply();
    MapPutResponse response = put("a", "2", true).reply().getMapPut();
    assertTrue(response.getHadPrevious());
    assertEquals(p("1"), response.getPrevious());
    assertEquals(p("1"), get("a").getValue());
    assertFalse(put("b", "3", true).reply().getMapPut().getHadPrevious());
    assertEquals(p("3"), get("b").getValue());
  }

  @Test
  void remove_withExpected_removesOnlyWhenValueMatches() {
    put("a", "1", false).reply();
    MapRemoveResponse miss = remove("a", p("2")).reply().getMapRemove();
    assertFalse(miss.getRemoved());
    assertEquals(p("1"), miss.getPrevious());
    assertTrue(containsKey("a"));
    MapRemoveResponse hit = remove("a", p("1")).reply().getMapRemove();
    assertTrue(hit.getRemoved());
    assertEquals(p("1"), hit.getPrevious());
    assertFalse(containsKey("a"));
  }

  @Test
  void remove_withoutExpected_removesAnyValueAndReportsAbsentKeys() {
    put("a", "1", false).reply();
    MapRemoveResponse removed = remove("a", null).reply().getMapRemove();
    assertTrue(removed.getRemoved());
    assertEquals(p("1"), removed.getPrevious());
    MapRemoveResponse absent = remove("a", null).reply().getMapRemove();
    assertFalse(absent.getRemoved());
    assertFalse(absent.hasPrevious());
  }

  @Test
  void replace_withExpected_swapsOnlyWhenValueMatches() {
    put("a", "1", false).reply();
    MapReplaceResponse miss = replace("a", "9", p("2")).reply().getMapReplace();
    assertFalse(miss.getReplaced());
    assertEquals(p("1"), miss.getPrevious());
    assertEquals(p("1"), get("a").getValue());
    MapReplaceResponse hit = replace("a", "9", p("1")).reply().getMapReplace();
    assertTrue(hit.getReplaced());
    assertEquals(p("1"), hit.getPrevious());
    assertEquals(p("9"), get("a").getValue());
  }

  @Test
  void replace_withoutExpected_replacesOnlyExistingKeys() {
    assertFalse(replace("a", "1", null).reply().getMapReplace().getReplaced());
    assertFalse(containsKey("a"));
    put("a", "1", false).reply();
    MapReplaceResponse hit = replace("a", "2", null).reply().getMapReplace();
    assertTrue(hit.getReplaced());
    assertEquals(p("1"), hit.getPrevious());
    assertEquals(p("2"), get("a").getValue());
  }

  @Test
  void replace_withExpected_onAbsentKey_doesNotInsert() {
    assertFalse(replace("a", "1", p("1")).reply().getMapReplace().getReplaced());
    assertEquals(0, size());
  }

  @Test
  void keys_withSameBytesButOtherCodec_areDistinct() {
    Payload asString = Payload.newBuilder().setCodec("string").setData(bytes("k")).build();
    Payload asBytes = Payload.newBuilder().setCodec("bytes").setData(bytes("k")).build();
    h.call(s, Call.newBuilder().setMapPut(putRequest(asString, p("1"), false))).reply();
    h.call(s, Call.newBuilder().setMapPut(putRequest(asBytes, p("2"), false))).reply();
    assertEquals(2, size());
  }

  @Test
  void entries_areASnapshotInInsertionOrder() {
    put("c", "1", false).reply();
    put("a", "2", false).reply();
    put("b", "3", false).reply();
    put("c", "4", false).reply(); // overwriting keeps the key's place
    remove("a", null).reply();
    put("a", "5", false).reply(); // re-adding moves it to the end
    List<MapEntry> entries = entries();
    assertEquals(List.of(p("c"), p("b"), p("a")), entries.stream().map(MapEntry::getKey).toList());
    assertEquals(
        List.of(p("4"), p("3"), p("5")), entries.stream().map(MapEntry::getValue).toList());
  }

  @Test
  void putAll_addsEveryEntryAndReportsSize() {
    put("a", "1", false).reply();
    var putAll = putAll(entry("a", "9"), entry("b", "2"), entry("c", "3"));
    assertEquals(3, putAll.reply().getMapPutAll().getSize());
    assertEquals(p("9"), get("a").getValue());
    assertEquals(p("3"), get("c").getValue());
  }

  @Test
  void put_pastItemLimit_failsLimitExceededButOverwritesStillWork() {
    useLimits(1 << 20, 2);
    put("a", "1", false).reply();
    put("b", "2", false).reply();
    ExpectFailure.of(
        put("c", "3", false), CoreException.Code.RESOURCE_EXHAUSTED, ErrorReason.LIMIT_EXCEEDED);
    put("a", "9", false).reply();
    assertEquals(2, size());
    assertFalse(containsKey("c"));
  }

  @Test
  void putAll_pastItemLimit_appliesNothing() {
    useLimits(1 << 20, 3);
    put("a", "1", false).reply();
    ExpectFailure.of(
        putAll(entry("a", "9"), entry("b", "2"), entry("c", "3"), entry("d", "4")),
        CoreException.Code.RESOURCE_EXHAUSTED,
        ErrorReason.LIMIT_EXCEEDED);
    assertEquals(1, size());
    assertEquals(p("1"), get("a").getValue());
    // Overwrites do not count against the limit.
    assertEquals(
        3,
        putAll(entry("a", "9"), entry("b", "2"), entry("c", "3")).reply().getMapPutAll().getSize());
  }

  @Test
  void put_withKeyOrValueOverPayloadLimit_failsPayloadTooLarge() {
    useLimits(4, 100);
    ExpectFailure.of(
        put("a", "12345", false),
        CoreException.Code.RESOURCE_EXHAUSTED,
        ErrorReason.PAYLOAD_TOO_LARGE);
    ExpectFailure.of(
        put("12345", "a", false),
        CoreException.Code.RESOURCE_EXHAUSTED,
        ErrorReason.PAYLOAD_TOO_LARGE);
    ExpectFailure.of(
        putAll(entry("a", "1"), entry("b", "12345")),
        CoreException.Code.RESOURCE_EXHAUSTED,
        ErrorReason.PAYLOAD_TOO_LARGE);
    assertEquals(0, size());
  }

  @Test
  void clear_removesEverything() {
    put("a", "1", false).reply();
    put("b", "2", false).reply();
    h.call(s, Call.newBuilder().setMapClear(MapClearRequest.newBuilder().setName("m"))).reply();
    assertEquals(0, size());
    assertTrue(entries().isEmpty());
  }

  @Test
  void info_reportsSize() {
    put("a", "1", false).reply();
    put("b", "2", false).reply();
    var info =
        h.call(
                s,
                Call.newBuilder()
                    .setObjectDescribe(ObjectDescribeRequest.newBuilder().setName("m")))
            .reply()
            .getObjectDescribe()
            .getInfo();
    assertEquals(2, info.getSize());
    assertEquals(0, info.getWaiters());
  }

  private void useLimits(int maxPayloadBytes, long maxItems) {
    h = new CoreHarness(ExpectFailure.limits(maxPayloadBytes, 100, maxItems));
    s = h.session("s1");
    h.create(s, "m", ObjectType.MAP);
  }

  private static ByteString bytes(String text) {
    return ByteString.copyFromUtf8(text);
  }

  private static Payload p(String text) {
    return Payload.newBuilder().setCodec("string").setData(bytes(text)).build();
  }

  private static MapEntry entry(String key, String value) {
    return MapEntry.newBuilder().setKey(p(key)).setValue(p(value)).build();
  }

  private static MapPutRequest.Builder putRequest(Payload key, Payload value, boolean ifAbsent) {
    return MapPutRequest.newBuilder()
        .setName("m")
        .setKey(key)
        .setValue(value)
        .setIfAbsent(ifAbsent);
  }

  private CoreHarness.PendingCall put(String key, String value, boolean ifAbsent) {
    return h.call(s, Call.newBuilder().setMapPut(putRequest(p(key), p(value), ifAbsent)));
  }

  private CoreHarness.PendingCall putAll(MapEntry... entries) {
    return h.call(
        s,
        Call.newBuilder()
            .setMapPutAll(
                MapPutAllRequest.newBuilder().setName("m").addAllEntries(List.of(entries))));
  }

  private MapGetResponse get(String key) {
    return h.call(
            s, Call.newBuilder().setMapGet(MapGetRequest.newBuilder().setName("m").setKey(p(key))))
        .reply()
        .getMapGet();
  }

  private CoreHarness.PendingCall remove(String key, Payload expected) {
    MapRemoveRequest.Builder remove = MapRemoveRequest.newBuilder().setName("m").setKey(p(key));
    if (expected != null) {
      remove.setExpected(expected);
    }
    return h.call(s, Call.newBuilder().setMapRemove(remove));
  }

  private CoreHarness.PendingCall replace(String key, String value, Payload expected) {
    MapReplaceRequest.Builder replace =
        MapReplaceRequest.newBuilder().setName("m").setKey(p(key)).setValue(p(value));
    if (expected != null) {
      replace.setExpected(expected);
    }
    return h.call(s, Call.newBuilder().setMapReplace(replace));
  }

  private boolean containsKey(String key) {
    return h.call(
            s,
            Call.newBuilder()
                .setMapContainsKey(MapContainsKeyRequest.newBuilder().setName("m").setKey(p(key))))
        .reply()
        .getMapContainsKey()
        .getContains();
  }

  private long size() {
    return h.call(s, Call.newBuilder().setMapSize(MapSizeRequest.newBuilder().setName("m")))
        .reply()
        .getMapSize()
        .getSize();
  }

  private List<MapEntry> entries() {
    return h.call(s, Call.newBuilder().setMapEntries(MapEntriesRequest.newBuilder().setName("m")))
        .reply()
        .getMapEntries()
        .getEntriesList();
  }
}
