package dev.colony.cli;

/**
 * The SDK type a command-line string is read as, chosen with {@code --type}. An SDK client reads
 * what the CLI wrote with the same Java class (String, Long, Double) and the other way round.
 */
enum ItemType {
  STRING(String.class),
  LONG(Long.class),
  DOUBLE(Double.class);

  private final Class<?> javaType;

  ItemType(Class<?> javaType) {
    this.javaType = javaType;
  }

  @SuppressWarnings("unchecked")
  <T> Class<T> javaType() {
    return (Class<T>) javaType;
  }

  /** The command-line text as this type. */
  @SuppressWarnings("unchecked")
  <T> T parse(String text) {
    try {
      return (T)
          switch (this) {
            case STRING -> text;
            case LONG -> Long.valueOf(text.trim());
            case DOUBLE -> Double.valueOf(text.trim());
          };
    } catch (NumberFormatException e) {
      throw new CommandFailedException(
          ExitCodes.ERROR,
          "'"
              + text
              + "' is not a "
              + name().toLowerCase(java.util.Locale.ROOT)
              + "; pass --type string to store text");
    }
  }
}
