package dev.meshpassthrough.core.document;

import java.math.BigInteger;
import java.util.Optional;

/**
 * One {@code appendMatch} entry as written. Scalars written as numbers in string fields are kept as
 * their text ({@code protocol: 1} reads as {@code "1"}), as Kuma's type-directed decoding does.
 *
 * @param type the {@code type} text, if present
 * @param value the {@code value} text, if present
 * @param port the {@code port} number of any size, if present
 * @param protocol the {@code protocol} text, if present (absent means {@code tcp})
 * @param portText the {@code port} scalar as written, if the field was written: {@code 0443} for a
 *     YAML 1.1 octal that {@code port} holds as 291, {@code null} for a null that reads as no port
 */
public record WrittenMatch(
    Optional<String> type,
    Optional<String> value,
    Optional<BigInteger> port,
    Optional<String> protocol,
    Optional<String> portText) {

  /**
   * An entry whose port, if any, was written in decimal.
   *
   * @param type the {@code type} text, or empty
   * @param value the {@code value} text, or empty
   * @param port the {@code port} number, or empty; its decimal text becomes {@code portText}
   * @param protocol the {@code protocol} text, or empty
   */
  public WrittenMatch(
      Optional<String> type,
      Optional<String> value,
      Optional<BigInteger> port,
      Optional<String> protocol) {
    this(type, value, port, protocol, port.map(BigInteger::toString));
  }
}
