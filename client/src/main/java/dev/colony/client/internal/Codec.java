package dev.colony.client.internal;

import dev.colony.proto.v1.Payload;

/** Turns values of one Java type into {@link Payload}s tagged with the codec id, and back. */
public interface Codec<T> {
  /** The id written into every payload, e.g. "string" or "proto:colony.v1.Owner". */
  String id();

  Payload encode(T value);

  /**
   * Decodes a payload written with this codec.
   *
   * @throws dev.colony.client.ColonyException if the payload was written with another codec
   */
  T decode(Payload payload);
}
