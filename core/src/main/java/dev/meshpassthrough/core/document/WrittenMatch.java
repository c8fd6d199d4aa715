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
 */
public record WrittenMatch(Optional<String> type, Optional<String> value, Optional<BigInteger> port, Optional<String> protocol) {}
