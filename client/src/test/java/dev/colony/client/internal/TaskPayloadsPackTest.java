package dev.colony.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colony.proto.v1.Payload;
import dev.colony.proto.v1.TaskValues;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskPayloadsPackTest {
  @Test
  void valuesOfOneCodec_nameItOnce_andUnpackAsTheyWere() throws Exception {
    List<Payload> values =
        List.of(Codecs.LONG.encode(1L), Codecs.LONG.encode(-2L), Codecs.LONG.encode(3L));

    TaskValues packed = TaskValues.parseFrom(TaskPayloads.pack(values));

    assertEquals(values.get(0).getCodec(), packed.getCodec());
    assertEquals(3, packed.getDataCount());
    assertEquals(0, packed.getValuesCount());
    assertEquals(values, TaskPayloads.unpack(TaskPayloads.pack(values)));
  }

  @Test
  void valuesOfSeveralCodecs_keepTheirOwn() throws Exception {
    List<Payload> values = List.of(Codecs.LONG.encode(1L), Codecs.STRING.encode("two"));

    TaskValues packed = TaskValues.parseFrom(TaskPayloads.pack(values));

    assertEquals("", packed.getCodec());
    assertEquals(values, packed.getValuesList());
    assertEquals(values, TaskPayloads.unpack(TaskPayloads.pack(values)));
  }

  @Test
  void noValues_unpackToNone() throws Exception {
    assertEquals(List.of(), TaskPayloads.unpack(TaskPayloads.pack(List.of())));
  }
}
