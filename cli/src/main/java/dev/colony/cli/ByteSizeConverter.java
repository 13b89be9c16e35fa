package dev.colony.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Sizes as people type them: a bare number of bytes, or with KiB, MiB, GiB (K, M, G and KB, MB, GB
 * mean the same powers of 1024, since memory is what these sizes bound).
 */
final class ByteSizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([kmg])(?:i?b)?|b)?");

  @Override
  public Long convert(String value) {
    Matcher matcher = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw notASize(value);
    }
    int shift =
        matcher.group(2) == null
            ? 0
            : switch (matcher.group(2)) {
              case "k" -> 10;
              case "m" -> 20;
              default -> 30;
            };
    try {
      long amount = Long.parseLong(matcher.group(1));
      if (amount > Long.MAX_VALUE >> shift) {
        throw notASize(value);
      }
      return amount << shift;
    } catch (NumberFormatException e) {
      throw notASize(value);
    }
  }

  private static TypeConversionException notASize(String value) {
    return new TypeConversionException(
        "'" + value + "' is not a size; write e.g. 1048576, 512KiB, 256MiB or 1GiB");
  }
}
