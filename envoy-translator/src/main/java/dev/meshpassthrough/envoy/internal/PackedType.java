package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.Descriptors.Descriptor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * A type URL of an {@code Any} with the registered type it names, the type's shape and whether
 * {@link YamlText} writes the URL, worked out once per URL: every packed message of a document
 * repeats one of a few URLs, and looking each up (decoding, a substring, hashes) and classifying
 * its text again cost a noticeable share of printing (benchmarks/README.md, PrintBenchmark).
 */
final class PackedType {
  /**
   * Memos of facts derived from the immutable registry, bounded by it (unregistered URLs are not
   * kept): sharing them between threads changes no output.
   */
  private static final ConcurrentMap<String, PackedType> TYPES = new ConcurrentHashMap<>();

  /**
   * The same, to be found by the URL's UTF-8 encoding: a few entries, compared by length and then
   * bytes (hashing a buffer's bytes cost more); replaced, never changed, when one is added.
   */
  private static volatile PackedType[] encoded = new PackedType[0];

  private final SerializedString url;
  private final byte[] encoding;
  private final Descriptor type;
  private final MessageShape shape;
  private final boolean yamlSure;

  private PackedType(String url, Descriptor type) {
    this.url = new SerializedString(url);
    this.encoding = url.getBytes(StandardCharsets.UTF_8);
    this.type = type;
    this.shape = MessageShape.of(type);
    this.yamlSure = YamlScalars.valueStyle(url).isSure();
  }

  /** The URL, as one instance, so that generators can recognise it cheaply. */
  SerializedString url() {
    return url;
  }

  /** The registered type the URL names. */
  Descriptor type() {
    return type;
  }

  MessageShape shape() {
    return shape;
  }

  /** Whether YamlText writes the URL as a value. */
  boolean yamlSure() {
    return yamlSure;
  }

  /**
   * The type the UTF-8 bytes from {@code offset} name, or null when they name no registered type:
   * found by the bytes, without decoding them.
   */
  static @Nullable PackedType of(byte[] typeUrl, int offset, int length) {
    for (PackedType known : encoded) {
      byte[] bytes = known.encoding;
      if (bytes.length == length
          && Arrays.equals(bytes, 0, length, typeUrl, offset, offset + length)) {
        return known;
      }
    }
    PackedType packed = of(new String(typeUrl, offset, length, StandardCharsets.UTF_8));
    if (packed != null
        && Arrays.equals(
            packed.encoding, 0, packed.encoding.length, typeUrl, offset, offset + length)) {
      add(packed);
    }
    return packed;
  }

  private static synchronized void add(PackedType packed) {
    PackedType[] known = encoded;
    if (!Arrays.asList(known).contains(packed)) {
      PackedType[] more = Arrays.copyOf(known, known.length + 1);
      more[known.length] = packed;
      encoded = more;
    }
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
    PackedType packed = TYPES.putIfAbsent(typeUrl, new PackedType(typeUrl, type));
    return packed != null ? packed : TYPES.get(typeUrl);
  }
}
