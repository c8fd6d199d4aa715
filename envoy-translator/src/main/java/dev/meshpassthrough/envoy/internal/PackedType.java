package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.Descriptors.Descriptor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * A type URL of an {@code Any} with the registered type it names and whether {@link YamlText}
 * writes it, worked out once per URL: every packed message of a document repeats one of a few URLs,
 * and looking each up (a substring, a hash) and classifying its text again cost a noticeable share
 * of printing (benchmarks/README.md, PrintBenchmark).
 *
 * @param url the URL, as one instance, so that generators can recognise it cheaply
 * @param type the registered type of the URL
 * @param yamlSure whether YamlText writes the URL as a value
 */
record PackedType(SerializedString url, Descriptor type, boolean yamlSure) {
  /**
   * A memo of facts derived from the immutable registry, bounded by it (unregistered URLs are not
   * kept): sharing it between threads changes no output.
   */
  private static final ConcurrentMap<String, PackedType> TYPES = new ConcurrentHashMap<>();

  /** The same, by the URL's UTF-8 encoding (a buffer's equality is its remaining bytes'). */
  private static final ConcurrentMap<ByteBuffer, PackedType> ENCODED = new ConcurrentHashMap<>();

  /**
   * The type the UTF-8 {@code typeUrl} names (the bytes from its position to its limit, left
   * unread), or null when it names no registered type: found by the bytes, without decoding them.
   */
  static @Nullable PackedType of(ByteBuffer typeUrl) {
    PackedType known = ENCODED.get(typeUrl);
    if (known != null) {
      return known;
    }
    byte[] bytes = new byte[typeUrl.remaining()];
    typeUrl.duplicate().get(bytes);
    PackedType packed = of(new String(bytes, StandardCharsets.UTF_8));
    if (packed != null) {
      ENCODED.putIfAbsent(ByteBuffer.wrap(bytes), packed);
    }
    return packed;
  }

  /** The type {@code typeUrl} names, or null when it names no registered type. */
  static @Nullable PackedType of(String typeUrl) {
    PackedType known = TYPES.get(typeUrl);
    if (known != null) {
      return known;
    }
    Descriptor type =
        EnvoyNames.TYPE_REGISTRY.find(typeUrl.substring(typeUrl.lastIndexOf('/') + 1));
    if (type == null) {
      return null;
    }
    PackedType packed =
        new PackedType(
            new SerializedString(typeUrl), type, YamlScalars.valueStyle(typeUrl).isSure());
    TYPES.putIfAbsent(typeUrl, packed);
    return packed;
  }
}
