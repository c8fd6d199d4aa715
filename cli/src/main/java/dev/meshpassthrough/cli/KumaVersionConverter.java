package dev.meshpassthrough.cli;

import dev.meshpassthrough.validation.KumaVersion;
import picocli.CommandLine;

/** Reads {@code --kuma-version 2|3}. */
final class KumaVersionConverter implements CommandLine.ITypeConverter<KumaVersion> {
  @Override
  public KumaVersion convert(String value) {
    try {
      return KumaVersion.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
