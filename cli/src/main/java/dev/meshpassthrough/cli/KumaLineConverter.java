package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.resolve.KumaLine;
import picocli.CommandLine;

/** Reads {@code --kuma-version 2|3}. */
final class KumaLineConverter implements CommandLine.ITypeConverter<KumaLine> {
  @Override
  public KumaLine convert(String value) {
    try {
      return KumaLine.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException("unknown Kuma version '" + value + "': use 2 or 3");
    }
  }
}
