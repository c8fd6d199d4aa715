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
      // Named after the option (--kuma-version), whatever the library calls the line.
      throw new CommandLine.TypeConversionException(
          "unknown Kuma version '" + PolicyInputs.oneLine(value) + "': use 2 or 3");
    }
  }
}
