package dev.colony.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.colony.client.ColonyException;
import dev.colony.proto.v1.Owner;
import dev.colony.proto.v1.Payload;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CodecsTest {

  record Ticket(String id, int seat, List<String> tags) {}

  /** A plain bean, as Jackson binds it. */
  public static final class Seat {
    private String row;
    private int number;

    public String getRow() {
      return row;
    }

    public void setRow(String row) {
      this.row = row;
    }

    public int getNumber() {
      return number;
    }

    public void setNumber(int number) {
      this.number = number;
    }
  }

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of(String.class, "héllo, wörld", "string"),
        Arguments.of(String.class, "", "string"),
        Arguments.of(Long.class, Long.MIN_VALUE, "long"),
        Arguments.of(Integer.class, -42, "int"),
        Arguments.of(Double.class, Math.PI, "double"),
        Arguments.of(Float.class, 1.5f, "float"),
        Arguments.of(Short.class, (short) -7, "short"),
        Arguments.of(Byte.class, (byte) 0x7f, "byte"),
        Arguments.of(Boolean.class, true, "bool"),
        Arguments.of(Boolean.class, false, "bool"),
        Arguments.of(Character.class, 'ß', "char"),
        Arguments.of(Ticket.class, new Ticket("t-1", 12, List.of("vip", "aisle")), "json"),
        Arguments.of(
            Owner.class,
            Owner.newBuilder().setSessionLabel("s1").setThreadId(7).setPid(99).build(),
            "proto:colony.v1.Owner"));
  }

  @ParameterizedTest
  @MethodSource("samples")
  <T> void encodeThenDecode_returnsEqualValueAndTagsCodec(
      Class<T> type, Object value, String codecId) {
    Codec<T> codec = Codecs.forClass(type);

    Payload payload = codec.encode(type.cast(value));

    assertEquals(codecId, payload.getCodec());
    assertEquals(codecId, codec.id());
    assertEquals(value, codec.decode(payload));
  }

  @Test
  void bytes_roundTrip() {
    byte[] data = {0, 1, -1, 42};
    Codec<byte[]> codec = Codecs.forClass(byte[].class);

    Payload payload = codec.encode(data);

    assertEquals("bytes", payload.getCodec());
    assertArrayEquals(data, codec.decode(payload));
  }

  @Test
  void pojo_roundTrip() {
    Seat seat = new Seat();
    seat.setRow("K");
    seat.setNumber(14);
    Codec<Seat> codec = Codecs.forClass(Seat.class);

    Seat back = codec.decode(codec.encode(seat));

    assertEquals("K", back.getRow());
    assertEquals(14, back.getNumber());
  }

  @Test
  void primitiveClass_usesTheBoxedCodec() {
    assertEquals("long", Codecs.forClass(long.class).id());
    assertEquals("int", Codecs.forClass(int.class).id());
  }

  @Test
  void decode_withAnotherCodec_failsWithClearMessage() {
    Payload written = Codecs.forClass(String.class).encode("not a ticket");

    ColonyException e =
        assertThrows(ColonyException.class, () -> Codecs.forClass(Ticket.class).decode(written));

    assertEquals(ColonyException.Code.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("'string'"), e.getMessage());
    assertTrue(e.getMessage().contains(Ticket.class.getName()), e.getMessage());
  }

  @Test
  void decode_protoOfAnotherMessage_fails() {
    Payload written =
        Codecs.forClass(Payload.class)
            .encode(Payload.newBuilder().setCodec("x").setData(ByteString.EMPTY).build());

    assertThrows(ColonyException.class, () -> Codecs.forClass(Owner.class).decode(written));
  }

  @Test
  void intPayload_readAsLong_isConverted() {
    Payload written = Codecs.INT.encode(-5);

    assertEquals(-5L, Codecs.LONG.decode(written));
  }

  @Test
  void longPayload_readAsInt_isConvertedWhenItFits() {
    assertEquals(123, Codecs.INT.decode(Codecs.LONG.encode(123L)));
    ColonyException e =
        assertThrows(ColonyException.class, () -> Codecs.INT.decode(Codecs.LONG.encode(1L << 40)));
    assertEquals(ColonyException.Code.OUT_OF_RANGE, e.code());
  }

  @Test
  void doublePayload_readAsLong_fails() {
    assertThrows(ColonyException.class, () -> Codecs.LONG.decode(Codecs.DOUBLE.encode(1.0)));
  }

  @Test
  void truncatedNumber_failsAsCorrupt() {
    Payload broken =
        Payload.newBuilder().setCodec("long").setData(ByteString.copyFrom(new byte[3])).build();

    ColonyException e = assertThrows(ColonyException.class, () -> Codecs.LONG.decode(broken));
    assertEquals(ColonyException.Code.DATA_LOSS, e.code());
  }

  @Test
  void json_withClassNameInPayload_doesNotInstantiateIt() {
    // No default typing: a class name in the payload is just a string field.
    Payload hostile =
        Payload.newBuilder()
            .setCodec("json")
            .setData(
                ByteString.copyFromUtf8(
                    "{\"@class\":\"java.lang.ProcessBuilder\",\"id\":\"x\",\"seat\":1}"))
            .build();

    Ticket ticket = Codecs.forClass(Ticket.class).decode(hostile);

    assertEquals(new Ticket("x", 1, null), ticket);
  }

  @Test
  void json_mapKeys_encodeDeterministically() {
    record Holder(Map<String, Integer> counts) {}
    Codec<Holder> codec = Codecs.forClass(Holder.class);

    Payload a = codec.encode(new Holder(Map.of("b", 2, "a", 1, "c", 3)));
    Payload b = codec.encode(new Holder(Map.of("c", 3, "a", 1, "b", 2)));

    assertEquals(a, b);
  }

  @Test
  void forClass_serializable_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Codecs.forClass(java.io.Serializable.class));
  }

  @Test
  void forClass_object_readsEachPayloadByItsCodec() {
    Codec<Object> any = Codecs.forClass(Object.class);

    assertEquals("x", any.decode(Codecs.STRING.encode("x")));
    assertEquals(42L, any.decode(Codecs.LONG.encode(42L)));
    assertEquals(2.5, any.decode(Codecs.DOUBLE.encode(2.5)));
    assertEquals(Codecs.STRING.encode("x"), any.encode("x"));
    assertEquals(Codecs.LONG.encode(7L), any.encode(7L));
    Object tree = any.decode(any.encode(java.util.List.of(1, "a")));
    assertEquals("[1,\"a\"]", tree.toString());
    assertEquals(
        java.util.List.of(1, "a"), Codecs.forClass(java.util.List.class).decode(any.encode(tree)));
  }

  @Test
  void forClass_isMemoized() {
    assertTrue(Codecs.forClass(Ticket.class) == Codecs.forClass(Ticket.class));
  }
}
