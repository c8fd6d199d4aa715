package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpLiteral;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code value} of one entry read as an IP literal or a CIDR at most once each, for every rule
 * that asks and for the typed entry: Kuma's rules, our own and the typed destination used to parse
 * the same text three times. Not thread-safe; one per entry.
 */
final class ParsedValue {
  private final String value;
  // Null until asked for.
  private @Nullable Optional<IpLiteral> ip;
  private @Nullable Optional<Destination.Cidr> cidr;

  ParsedValue(String value) {
    this.value = value;
  }

  /** {@link IpLiteral#parse(String)} of the value. */
  Optional<IpLiteral> ip() {
    Optional<IpLiteral> parsed = ip;
    if (parsed == null) {
      parsed = IpLiteral.parse(value);
      ip = parsed;
    }
    return parsed;
  }

  /** {@link Destination.Cidr#tryParse(String)} of the value. */
  Optional<Destination.Cidr> cidr() {
    Optional<Destination.Cidr> parsed = cidr;
    if (parsed == null) {
      parsed = Destination.Cidr.tryParse(value);
      cidr = parsed;
    }
    return parsed;
  }
}
