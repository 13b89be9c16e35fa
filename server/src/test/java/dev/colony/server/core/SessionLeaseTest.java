package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.ObjectListRequest;
import org.junit.jupiter.api.Test;

class SessionLeaseTest {
  private final CoreHarness h = new CoreHarness();

  @Test
  void call_onUnknownSession_failsSessionNotFound() {
    var call =
        h.call("nobody", Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance()));
    assertEquals(ErrorReason.SESSION_NOT_FOUND, call.failure().getReason());
    assertEquals(CoreException.Code.NOT_FOUND.number, call.failure().getCode());
  }

  @Test
  void session_withoutKeepAlive_expiresAfterTtl() {
    String s = h.session("s1", 2_000);
    h.advance(1_999);
    h.call(s, Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance())).reply();
    // The call renewed the lease: 1 999 ms later it is still alive, 2 000 ms later it is gone.
    h.advance(1_999);
    h.call(s, Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance())).reply();
    h.advance(2_000);
    var late = h.call(s, Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance()));
    assertEquals(ErrorReason.SESSION_NOT_FOUND, late.failure().getReason());
  }

  @Test
  void keepAlive_extendsLease() {
    String s = h.session("s1", 2_000);
    for (int i = 0; i < 10; i++) {
      h.advance(1_500);
      h.keepAlive(s);
    }
    h.call(s, Call.newBuilder().setObjectList(ObjectListRequest.getDefaultInstance())).reply();
  }
}
