package dev.colony.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.proto.v1.Call;
import dev.colony.proto.v1.ErrorReason;
import dev.colony.proto.v1.Failure;
import dev.colony.proto.v1.ObjectCreateRequest;
import dev.colony.proto.v1.ObjectDescribeRequest;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Scalar;
import dev.colony.proto.v1.ValueAddRequest;
import dev.colony.proto.v1.ValueAddResponse;
import dev.colony.proto.v1.ValueCompareAndSetRequest;
import dev.colony.proto.v1.ValueCompareAndSetResponse;
import dev.colony.proto.v1.ValueGetAndSetRequest;
import dev.colony.proto.v1.ValueGetRequest;
import dev.colony.proto.v1.ValueOptions;
import dev.colony.proto.v1.ValueSetRequest;
import org.junit.jupiter.api.Test;

class ValueObjectTest {
  private CoreHarness h = new CoreHarness();
  private String s = h.session("s1");

  @Test
  void create_withoutInitial_isLongZero() {
    h.create(s, "v", ObjectType.VALUE);
    assertEquals(lng(0), get("v"));
  }

  @Test
  void setAndGetAndSet_replaceTheValue() {
    h.create(s, value("v", lng(5)));
    set("v", lng(7)).reply();
    assertEquals(lng(7), get("v"));
    var previous = h.call(s, Call.newBuilder().setValueGetAndSet(getAndSet("v", lng(9))));
    assertEquals(lng(7), previous.reply().getValueGetAndSet().getPrevious());
    assertEquals(lng(9), get("v"));
  }

  @Test
  void add_onLong_wrapsOnOverflowLikeAtomicLong() {
    h.create(s, value("v", lng(Long.MAX_VALUE)));
    ValueAddResponse added = add("v", lng(1)).reply().getValueAdd();
    assertEquals(lng(Long.MAX_VALUE), added.getPrevious());
    assertEquals(lng(Long.MIN_VALUE), added.getCurrent());
    assertEquals(lng(Long.MIN_VALUE), get("v"));
  }

  @Test
  void add_onDouble_addsDelta() {
    h.create(s, value("d", dbl(1.5)));
    ValueAddResponse added = add("d", dbl(2.25)).reply().getValueAdd();
    assertEquals(dbl(1.5), added.getPrevious());
    assertEquals(dbl(3.75), added.getCurrent());
  }

  @Test
  void add_onStringValue_failsValueKindMismatch() {
    h.create(s, value("str", str("a")));
    Failure failure =
        ExpectFailure.of(
            add("str", lng(1)),
            CoreException.Code.INVALID_ARGUMENT,
            ErrorReason.VALUE_KIND_MISMATCH);
    assertTrue(failure.getMessage().contains("string"), failure.getMessage());
    assertEquals(str("a"), get("str"));
  }

  @Test
  void add_withDeltaOfOtherKind_failsNamingBothKinds() {
    h.create(s, value("v", lng(1)));
    Failure failure =
        ExpectFailure.of(
            add("v", dbl(1.0)),
            CoreException.Code.INVALID_ARGUMENT,
            ErrorReason.VALUE_KIND_MISMATCH);
    assertTrue(failure.getMessage().contains("long"), failure.getMessage());
    assertTrue(failure.getMessage().contains("double"), failure.getMessage());
  }

  @Test
  void set_withWrongKind_failsNamingBothKindsAndKeepsValue() {
    h.create(s, value("v", lng(3)));
    Failure failure =
        ExpectFailure.of(
            set("v", str("x")),
            CoreException.Code.INVALID_ARGUMENT,
            ErrorReason.VALUE_KIND_MISMATCH);
    assertTrue(failure.getMessage().contains("long"), failure.getMessage());
    assertTrue(failure.getMessage().contains("string"), failure.getMessage());
    ExpectFailure.of(
        h.call(s, Call.newBuilder().setValueGetAndSet(getAndSet("v", bytes(1)))),
        CoreException.Code.INVALID_ARGUMENT,
        ErrorReason.VALUE_KIND_MISMATCH);
    ExpectFailure.of(
        cas("v", lng(3), dbl(4)),
        CoreException.Code.INVALID_ARGUMENT,
        ErrorReason.VALUE_KIND_MISMATCH);
    assertEquals(lng(3), get("v"));
  }

  @Test
  void set_withoutValue_failsInvalidRequest() {
    h.create(s, "v", ObjectType.VALUE);
    ExpectFailure.of(
        set("v", Scalar.getDefaultInstance()),
        CoreException.Code.INVALID_ARGUMENT,
        ErrorReason.INVALID_REQUEST);
  }

  @Test
  void compareAndSet_onLong_swapsOnlyWhenExpectedMatches() {
    h.create(s, value("v", lng(1)));
    ValueCompareAndSetResponse miss = cas("v", lng(2), lng(10)).reply().getValueCompareAndSet();
    assertFalse(miss.getSwapped());
    assertEquals(lng(1), miss.getCurrent());
    ValueCompareAndSetResponse hit = cas("v", lng(1), lng(10)).reply().getValueCompareAndSet();
    assertTrue(hit.getSwapped());
    assertEquals(lng(10), hit.getCurrent());
    assertEquals(lng(10), get("v"));
  }

  @Test
  void compareAndSet_onDouble_comparesBitsLikeDoubleEquals() {
    h.create(s, value("nan", dbl(Double.NaN)));
    assertTrue(cas("nan", dbl(Double.NaN), dbl(1.0)).reply().getValueCompareAndSet().getSwapped());
    h.create(s, value("zero", dbl(0.0)));
    assertFalse(cas("zero", dbl(-0.0), dbl(1.0)).reply().getValueCompareAndSet().getSwapped());
    assertTrue(cas("zero", dbl(0.0), dbl(1.0)).reply().getValueCompareAndSet().getSwapped());
  }

  @Test
  void compareAndSet_onStringAndBytes_comparesContent() {
    h.create(s, value("str", str("abc")));
    assertFalse(cas("str", str("abd"), str("x")).reply().getValueCompareAndSet().getSwapped());
    assertTrue(cas("str", str("abc"), str("x")).reply().getValueCompareAndSet().getSwapped());
    h.create(s, value("bin", bytes(1, 2)));
    assertFalse(cas("bin", bytes(1), bytes(3)).reply().getValueCompareAndSet().getSwapped());
    assertTrue(cas("bin", bytes(1, 2), bytes(3)).reply().getValueCompareAndSet().getSwapped());
    assertEquals(bytes(3), get("bin"));
  }

  @Test
  void set_withPayloadOverLimit_failsPayloadTooLarge() {
    h = new CoreHarness(ExpectFailure.limits(4, 100, 100));
    s = h.session("s1");
    h.create(s, value("str", str("")));
    set("str", str("four")).reply();
    ExpectFailure.of(
        set("str", str("fives")),
        CoreException.Code.RESOURCE_EXHAUSTED,
        ErrorReason.PAYLOAD_TOO_LARGE);
    h.create(s, value("bin", bytes()));
    ExpectFailure.of(
        cas("bin", bytes(), bytes(1, 2, 3, 4, 5)),
        CoreException.Code.RESOURCE_EXHAUSTED,
        ErrorReason.PAYLOAD_TOO_LARGE);
    var create = h.call(s, Call.newBuilder().setObjectCreate(value("big", str("too long"))));
    ExpectFailure.of(create, CoreException.Code.RESOURCE_EXHAUSTED, ErrorReason.PAYLOAD_TOO_LARGE);
  }

  @Test
  void create_again_acceptsSameKindOrUnsetAndRefusesOtherKinds() {
    h.create(s, value("v", str("first")));
    set("v", str("changed")).reply();
    h.create(s, value("v", str("other initial")));
    h.create(s, ObjectCreateRequest.newBuilder().setName("v").setType(ObjectType.VALUE));
    assertEquals(str("changed"), get("v"));
    var conflict = h.call(s, Call.newBuilder().setObjectCreate(value("v", lng(0))));
    ExpectFailure.of(
        conflict, CoreException.Code.FAILED_PRECONDITION, ErrorReason.OPTIONS_CONFLICT);
  }

  @Test
  void info_describesKindAndValue() {
    h.create(s, value("v", lng(42)));
    var info =
        h.call(
                s,
                Call.newBuilder()
                    .setObjectDescribe(ObjectDescribeRequest.newBuilder().setName("v")))
            .reply()
            .getObjectDescribe()
            .getInfo();
    assertEquals(ObjectType.VALUE, info.getType());
    assertEquals("long 42", info.getDetail());
  }

  private static ObjectCreateRequest.Builder value(String name, Scalar initial) {
    return ObjectCreateRequest.newBuilder()
        .setName(name)
        .setType(ObjectType.VALUE)
        .setValue(ValueOptions.newBuilder().setInitial(initial));
  }

  private Scalar get(String name) {
    return h.call(s, Call.newBuilder().setValueGet(ValueGetRequest.newBuilder().setName(name)))
        .reply()
        .getValueGet()
        .getValue();
  }

  private CoreHarness.PendingCall set(String name, Scalar value) {
    return h.call(
        s,
        Call.newBuilder().setValueSet(ValueSetRequest.newBuilder().setName(name).setValue(value)));
  }

  private static ValueGetAndSetRequest.Builder getAndSet(String name, Scalar value) {
    return ValueGetAndSetRequest.newBuilder().setName(name).setValue(value);
  }

  private CoreHarness.PendingCall add(String name, Scalar delta) {
    return h.call(
        s,
        Call.newBuilder().setValueAdd(ValueAddRequest.newBuilder().setName(name).setDelta(delta)));
  }

  private CoreHarness.PendingCall cas(String name, Scalar expected, Scalar update) {
    return h.call(
        s,
        Call.newBuilder()
            .setValueCompareAndSet(
                ValueCompareAndSetRequest.newBuilder()
                    .setName(name)
                    .setExpected(expected)
                    .setUpdate(update)));
  }

  private static Scalar lng(long v) {
    return Scalar.newBuilder().setLongValue(v).build();
  }

  private static Scalar dbl(double v) {
    return Scalar.newBuilder().setDoubleValue(v).build();
  }

  private static Scalar str(String v) {
    return Scalar.newBuilder().setStringValue(v).build();
  }

  private static Scalar bytes(int... values) {
    byte[] data = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      data[i] = (byte) values[i];
    }
    return Scalar.newBuilder().setBytesValue(ByteString.copyFrom(data)).build();
  }
}
