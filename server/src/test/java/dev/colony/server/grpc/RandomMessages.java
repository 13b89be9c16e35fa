package dev.colony.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random protobuf messages of any type, built by reflection so every operation of the protocol is
 * covered without listing them, and mutations of their bytes. Values lean toward the edges (0, -1,
 * the extremes, empty and over-long strings, unknown enum numbers) and toward a few shared names,
 * so calls meet objects that earlier calls created.
 */
final class RandomMessages {
  private static final int MAX_DEPTH = 4;
  private static final List<String> NAMES = List.of("q", "lock", "v", "m", "l", "s", "b", "e");
  private static final List<String> ODD_STRINGS =
      List.of("", " ", "a\u0000b", "é", "n".repeat(300), "x\ny", "\u200b");

  private final Random random;

  RandomMessages(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  /** A message of {@code prototype}'s type with random fields and one case of each oneof. */
  <T extends Message> T next(T prototype) {
    @SuppressWarnings("unchecked")
    T message = (T) fill(prototype.newBuilderForType(), 0).build();
    return message;
  }

  /** Bytes of {@code message} with bits flipped, bytes inserted, cut or overwritten. */
  byte[] mutate(Message message) {
    byte[] bytes = message.toByteArray();
    return switch (random.nextInt(5)) {
      case 0 -> flipBits(bytes);
      case 1 -> bytes.length == 0 ? bytes : Arrays.copyOf(bytes, random.nextInt(bytes.length));
      case 2 -> insert(bytes, randomBytes(1 + random.nextInt(8)));
      case 3 -> overwrite(bytes);
      default -> randomBytes(random.nextInt(64));
    };
  }

  byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private Message.Builder fill(Message.Builder builder, int depth) {
    Descriptor type = builder.getDescriptorForType();
    for (OneofDescriptor oneof : type.getRealOneofs()) {
      List<FieldDescriptor> cases = oneof.getFields();
      FieldDescriptor chosen = cases.get(random.nextInt(cases.size()));
      set(builder, chosen, depth);
    }
    for (FieldDescriptor field : type.getFields()) {
      if (field.getRealContainingOneof() != null || random.nextInt(4) == 0) {
        continue;
      }
      if (field.isRepeated()) {
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
          builder.addRepeatedField(field, value(builder, field, depth));
        }
      } else {
        set(builder, field, depth);
      }
    }
    return builder;
  }

  private void set(Message.Builder builder, FieldDescriptor field, int depth) {
    if (field.isMapField() || field.isRepeated()) {
      builder.addRepeatedField(field, value(builder, field, depth));
    } else {
      builder.setField(field, value(builder, field, depth));
    }
  }

  private Object value(Message.Builder builder, FieldDescriptor field, int depth) {
    return switch (field.getJavaType()) {
      case MESSAGE ->
          depth >= MAX_DEPTH
              ? builder.newBuilderForField(field).build()
              : fill(builder.newBuilderForField(field), depth + 1).build();
      case INT -> (int) integer(field);
      case LONG -> integer(field);
      case BOOLEAN -> random.nextBoolean();
      case FLOAT -> random.nextFloat();
      case DOUBLE -> random.nextDouble();
      case STRING -> string(field);
      case BYTE_STRING ->
          ByteString.copyFrom(randomBytes(random.nextInt(10) == 0 ? 2_000 : random.nextInt(16)));
      case ENUM ->
          random.nextInt(8) == 0
              ? field.getEnumType().findValueByNumberCreatingIfUnknown(99)
              : field
                  .getEnumType()
                  .getValues()
                  .get(random.nextInt(field.getEnumType().getValues().size()));
    };
  }

  /** Timeouts stay short (an absent one means forever); other numbers lean to the edges. */
  private long integer(FieldDescriptor field) {
    if (field.getName().endsWith("timeout_ms")) {
      return random.nextInt(20);
    }
    return switch (random.nextInt(8)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> Long.MAX_VALUE;
      case 3 -> Long.MIN_VALUE;
      case 4 -> Integer.MAX_VALUE;
      default -> random.nextInt(10);
    };
  }

  private String string(FieldDescriptor field) {
    if (random.nextInt(4) == 0) {
      return ODD_STRINGS.get(random.nextInt(ODD_STRINGS.size()));
    }
    if (field.getName().contains("name") || random.nextBoolean()) {
      return NAMES.get(random.nextInt(NAMES.size()));
    }
    return Long.toHexString(random.nextLong());
  }

  private byte[] flipBits(byte[] bytes) {
    byte[] copy = bytes.clone();
    for (int i = 0; i < 1 + random.nextInt(4) && copy.length > 0; i++) {
      copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return copy;
  }

  private byte[] insert(byte[] bytes, byte[] extra) {
    int at = random.nextInt(bytes.length + 1);
    byte[] result = new byte[bytes.length + extra.length];
    System.arraycopy(bytes, 0, result, 0, at);
    System.arraycopy(extra, 0, result, at, extra.length);
    System.arraycopy(bytes, at, result, at + extra.length, bytes.length - at);
    return result;
  }

  private byte[] overwrite(byte[] bytes) {
    byte[] copy = bytes.clone();
    if (copy.length > 0) {
      int at = random.nextInt(copy.length);
      byte[] noise = randomBytes(Math.min(copy.length - at, 1 + random.nextInt(6)));
      System.arraycopy(noise, 0, copy, at, noise.length);
    }
    return copy;
  }
}
