package dev.colony.client;

/**
 * The two ends of a {@link PipeEnd pipe}. Two processes open the same pipe name with different
 * sides; in a one-way pipe {@link #A} only sends and {@link #B} only receives.
 */
public enum PipeSide {
  A,
  B;

  /** The side at the other end. */
  public PipeSide other() {
    return this == A ? B : A;
  }
}
