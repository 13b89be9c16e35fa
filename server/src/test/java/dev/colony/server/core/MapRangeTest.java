package dev.colony.server.core;

import static dev.colony.server.core.SyncCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.CoreSnapshot;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.MapEntry;
import dev.colony.proto.v1.MapPutRequest;
import dev.colony.proto.v1.MapRangeRequest;
import dev.colony.proto.v1.MapRangeResponse;
import dev.colony.proto.v1.MapRemoveRequest;
import dev.colony.proto.v1.MapSnapshot;
import dev.colony.proto.v1.ObjectSnapshot;
import dev.colony.proto.v1.ObjectType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a map in pages (MapRange), in insertion order, while it changes. */
class MapRangeTest {
  private final CoreHarness h = new CoreHarness();
  private final String s = h.session("s1");

  MapRangeTest() {
    h.create(s, "m", ObjectType.MAP);
  }

  private void put(String key, String value) {
    h.call(
            s,
            Call.newBuilder()
                .setMapPut(
                    MapPutRequest.newBuilder()
                        .setName("m")
                        .setKey(SyncCalls.text(key))
                        .setValue(SyncCalls.text(value))))
        .reply();
  }

  private void remove(String key) {
    h.call(
            s,
            Call.newBuilder()
                .setMapRemove(MapRemoveRequest.newBuilder().setName("m").setKey(text(key))))
        .reply();
  }

  private CoreHarness.PendingCall range(int pageSize, Long cursor) {
    MapRangeRequest.Builder range = MapRangeRequest.newBuilder().setName("m").setPageSize(pageSize);
    if (cursor != null) {
      range.setCursor(cursor);
    }
    return h.call(s, Call.newBuilder().setMapRange(range));
  }

  private MapRangeResponse page(int pageSize, Long cursor) {
    return range(pageSize, cursor).reply().getMapRange();
  }

  private static List<String> keys(MapRangeResponse page) {
    return page.getEntriesList().stream().map(e -> text(e.getKey())).toList();
  }

  private List<String> readAllKeys(int pageSize) {
    List<String> all = new ArrayList<>();
    Long cursor = null;
    do {
      MapRangeResponse page = page(pageSize, cursor);
      all.addAll(keys(page));
      cursor = page.hasNextCursor() ? page.getNextCursor() : null;
    } while (cursor != null);
    return all;
  }

  @Test
  void pages_listEntriesInInsertionOrder_andAKeyPutAgainKeepsItsPlace() {
    put("a", "1");
    put("b", "2");
    put("c", "3");
    put("a", "4");
    assertEquals(List.of("a", "b", "c"), readAllKeys(2));
    MapEntry first = page(1, null).getEntries(0);
    assertEquals("4", text(first.getValue()));
  }

  @Test
  void keyRemovedAndPutAgain_goesToTheEnd() {
    put("a", "1");
    put("b", "2");
    remove("a");
    put("a", "3");
    assertEquals(List.of("b", "a"), readAllKeys(1));
  }

  @Test
  void changesBeforeTheCursor_neitherSkipNorRepeatKeysThatStayed() {
    for (String key : List.of("a", "b", "c", "d")) {
      put(key, "v");
    }
    MapRangeResponse first = page(2, null);
    assertEquals(List.of("a", "b"), keys(first));
    remove("a");
    remove("b");
    put("e", "v");
    assertEquals(List.of("c", "d", "e"), keys(page(10, first.getNextCursor())));
  }

  @Test
  void cursorOfARemovedKey_stillResumesAfterIt() {
    put("a", "1");
    put("b", "2");
    put("c", "3");
    MapRangeResponse first = page(2, null);
    remove("b");
    assertEquals(List.of("c"), keys(page(2, first.getNextCursor())));
  }

  @Test
  void lastPage_hasNoNextCursor() {
    assertFalse(page(1, null).hasNextCursor());
    put("a", "1");
    assertFalse(page(1, null).hasNextCursor());
    put("b", "2");
    assertTrue(page(1, null).hasNextCursor());
  }

  @Test
  void cursorNeverHandedOut_isInvalid() {
    put("a", "1");
    var failure =
        ExpectFailure.of(
            range(1, 7L), CoreException.Code.INVALID_ARGUMENT, ErrorReason.INVALID_REQUEST);
    assertTrue(failure.getMessage().contains("never handed out by MAP 'm'"), failure.getMessage());
  }

  @Test
  void pageSizeOverTheMaximum_isInvalid() {
    var failure =
        ExpectFailure.of(
            range(Paging.MAX_PAGE_SIZE + 1, null),
            CoreException.Code.INVALID_ARGUMENT,
            ErrorReason.INVALID_REQUEST);
    assertTrue(failure.getMessage().contains("page_size must be"), failure.getMessage());
  }

  @Test
  void snapshot_keepsEveryKeysPosition_soCursorsHandedOutBeforeARestartStillHold() {
    put("a", "1");
    put("b", "2");
    put("c", "3");
    remove("a");
    MapSnapshot restored = mapIn(restore(h.core.snapshot()));
    assertEquals(List.of(1L, 2L), restored.getPositionsList());
    assertEquals(3, restored.getNextPosition());
  }

  @Test
  void snapshotWithoutPositions_numbersEntriesInInsertionOrder() {
    put("a", "1");
    put("b", "2");
    CoreSnapshot.Builder old = h.core.snapshot().toBuilder();
    for (ObjectSnapshot.Builder object : old.getObjectsBuilderList()) {
      if (object.hasMap()) {
        object.getMapBuilder().clearPositions().clearNextPosition();
      }
    }
    MapSnapshot restored = mapIn(restore(old.build()));
    assertEquals(List.of(0L, 1L), restored.getPositionsList());
    assertEquals(2, restored.getNextPosition());
  }

  private static CoreSnapshot restore(CoreSnapshot snapshot) {
    return CoordinatorCore.restore(Limits.defaults(), CoreOptions.defaults(), snapshot).snapshot();
  }

  private static MapSnapshot mapIn(CoreSnapshot snapshot) {
    return snapshot.getObjectsList().stream()
        .filter(ObjectSnapshot::hasMap)
        .findFirst()
        .orElseThrow()
        .getMap();
  }
}
