package dev.colony.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colony.client.internal.Codecs;
import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.TaskFailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
  @Test
  void decode_declaredType_usesItsCodec() throws TaskRefusal {
    Payload point = Codecs.forClass(TestTasks.Point.class).encode(new TestTasks.Point(1, 2));

    assertEquals(new TestTasks.Point(1, 2), Arguments.decode(point, TestTasks.Point.class, "t", 0));
    assertEquals(7, Arguments.decode(Codecs.INT.encode(7), Integer.class, "t", 0));
  }

  @Test
  void decode_supertypeOfTheCodecsType_decodesByCodecId() throws TaskRefusal {
    assertEquals(7L, Arguments.decode(Codecs.LONG.encode(7L), Number.class, "t", 0));
    assertEquals("hi", Arguments.decode(Codecs.STRING.encode("hi"), Object.class, "t", 0));
  }

  @Test
  void decode_unknownType_decodesByCodecIdAndJsonAsTree() throws TaskRefusal {
    assertEquals("hi", Arguments.decode(Codecs.STRING.encode("hi"), null, "t", 0));
    assertEquals(true, Arguments.decode(Codecs.BOOL.encode(true), null, "t", 0));
    Payload json = Codecs.forClass(TestTasks.Point.class).encode(new TestTasks.Point(3, 4));

    JsonNode tree = assertInstanceOf(JsonNode.class, Arguments.decode(json, null, "t", 0));

    assertEquals(4, tree.get("y").asInt());
  }

  @Test
  void decode_rawListFromJson_givesAList() throws TaskRefusal {
    @SuppressWarnings("unchecked")
    Class<List<String>> type = (Class<List<String>>) (Class<?>) List.class;
    Payload json = Codecs.forClass(type).encode(List.of("a", "b"));

    assertEquals(List.of("a", "b"), Arguments.decode(json, List.class, "t", 0));
  }

  @Test
  void decode_wrongCodec_refusesWithBadArgument() {
    TaskRefusal refusal =
        assertThrows(
            TaskRefusal.class,
            () -> Arguments.decode(Codecs.STRING.encode("x"), Integer.class, "acme.T", 2));

    assertEquals(TaskFailureReason.BAD_ARGUMENT, refusal.reason());
    assertTrue(refusal.getMessage().contains("acme.T"), refusal.getMessage());
    assertTrue(refusal.getMessage().contains("argument 2"), refusal.getMessage());
  }

  @Test
  void decode_corruptJson_refusesWithBadArgument() {
    Payload garbage =
        Payload.newBuilder()
            .setCodec("json")
            .setData(com.google.protobuf.ByteString.copyFromUtf8("{not json"))
            .build();

    TaskRefusal refusal =
        assertThrows(
            TaskRefusal.class, () -> Arguments.decode(garbage, TestTasks.Point.class, "t", 0));

    assertEquals(TaskFailureReason.BAD_ARGUMENT, refusal.reason());
  }

  @Test
  void decode_protobufWithoutDeclaredType_refusesWithBadArgument() {
    Payload proto = Codecs.forClass(Payload.class).encode(Codecs.INT.encode(1));

    TaskRefusal refusal =
        assertThrows(TaskRefusal.class, () -> Arguments.decode(proto, null, "t", 0));

    assertEquals(TaskFailureReason.BAD_ARGUMENT, refusal.reason());
  }

  @Test
  void decodeAndEncode_null_isAnEmptyPayload() throws TaskRefusal {
    assertEquals(Payload.getDefaultInstance(), Arguments.encode(null));
    assertNull(Arguments.decode(Payload.getDefaultInstance(), String.class, "t", 0));
  }

  @Test
  void encode_usesTheRuntimeClass() {
    assertEquals("int", Arguments.encode(5).getCodec());
    assertEquals("json", Arguments.encode(new TestTasks.Point(1, 1)).getCodec());
  }
}
