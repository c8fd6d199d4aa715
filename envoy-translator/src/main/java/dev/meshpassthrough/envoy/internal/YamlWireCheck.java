package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Whether {@link YamlText} is sure of every scalar {@link ProtoJsonStream} writes for a resource,
 * read from the resource's encoding without writing anything: a check of the strings only (field
 * names, string map keys and string values, type URLs included), byte by byte where they are
 * printable ASCII, which is what lets the YAML document be written in one pass instead of a
 * checking pass of every event and then a writing pass. Every other scalar is one YamlText is sure
 * of: numbers, booleans, nulls, enum names, base64 and durations. A string of other bytes is
 * decoded and asked of {@link YamlScalars}; a packed type that is not registered, a well-known type
 * with a JSON form of its own (left to JsonFormat), or an encoding this reader does not follow give
 * false, and the document is then checked event by event as before.
 */
final class YamlWireCheck {
  /** Protobuf's default recursion limit, which {@link ProtoJson#readsBack} holds resources to. */
  private static final int DEPTH_LIMIT = ProtoJson.RECURSION_LIMIT;

  private final WireReader in;

  private YamlWireCheck(WireReader in) {
    this.in = in;
  }

  /** Whether YamlText is sure of every scalar of {@code encoding}, a message of {@code type}. */
  static boolean isSure(Descriptor type, byte[] encoding) {
    try {
      return new YamlWireCheck(new WireReader(encoding, 0, encoding.length))
          .message(MessageShape.of(type), 0);
    } catch (IndexOutOfBoundsException | IllegalStateException malformed) {
      // A malformed encoding, or a group: the writer reports it itself, as it did before.
      return false;
    }
  }

  /** The message up to the reader's limit, of {@code shape}, as ProtoJsonStream writes its form. */
  private boolean message(MessageShape shape, int depth) {
    if (depth > DEPTH_LIMIT) {
      return false;
    }
    return switch (shape.form()) {
      case FIELDS, WRAPPER -> fields(shape, depth);
      case ANY -> any(depth);
      case DURATION -> {
        in.skipToLimit();
        yield true;
      }
      case OTHER_WELL_KNOWN -> false;
    };
  }

  private boolean fields(MessageShape shape, int depth) {
    while (!in.isAtEnd()) {
      int tag = in.readVarint32();
      FieldShape field = shape.field(WireFormat.getTagFieldNumber(tag));
      int wireType = WireFormat.getTagWireType(tag);
      if (field == null) {
        in.skipValue(wireType);
      } else if (!field.isYamlNameSure() || !value(field, wireType, depth)) {
        return false;
      }
    }
    return true;
  }

  /** One encoded value of {@code field} (one entry of a map, one item or a packed run). */
  private boolean value(FieldShape field, int wireType, int depth) {
    if (field.isMap()) {
      return wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED && mapEntry(field, depth);
    }
    FieldDescriptor.Type type = field.type();
    if (type == FieldDescriptor.Type.STRING) {
      return wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED && string(Place.VALUE);
    }
    MessageShape message = field.message();
    if (message != null && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int outer = in.pushLimit();
      boolean sure = message(message, depth + 1);
      in.popLimit(outer);
      return sure;
    }
    // Numbers, booleans, enums (by name or number), bytes (base64), packed runs of them.
    if (message != null) {
      return false;
    }
    in.skipValue(wireType);
    return true;
  }

  private boolean mapEntry(FieldShape map, int depth) {
    int outer = in.pushLimit();
    boolean sure = true;
    while (sure && !in.isAtEnd()) {
      int tag = in.readVarint32();
      int wireType = WireFormat.getTagWireType(tag);
      int number = WireFormat.getTagFieldNumber(tag);
      if (number == 1 && map.mapKey().type() == FieldDescriptor.Type.STRING) {
        sure = wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED && string(Place.KEY);
      } else if (number == 2) {
        sure = value(map.mapValue(), wireType, depth);
      } else {
        // Other key types are written as numbers or booleans.
        in.skipValue(wireType);
      }
    }
    in.popLimit(outer);
    return sure;
  }

  /** An {@code Any}: its type URL, and its value as a message of the registered type. */
  private boolean any(int depth) {
    int valueStart = -1;
    int valueEnd = -1;
    PackedType packed = null;
    while (!in.isAtEnd()) {
      int tag = in.readVarint32();
      if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        return false;
      }
      int start = in.readDelimited();
      int number = WireFormat.getTagFieldNumber(tag);
      if (number == 1) {
        packed = PackedType.of(in.bytes(), start, in.position() - start);
        if (packed == null || !packed.yamlSure()) {
          return false;
        }
      } else if (number == 2) {
        valueStart = start;
        valueEnd = in.position();
      }
    }
    if (packed == null) {
      return false;
    }
    MessageShape shape = packed.shape();
    if (valueStart < 0) {
      return shape.form() != MessageShape.Form.OTHER_WELL_KNOWN;
    }
    // The value, read again as a message of the packed type.
    return new YamlWireCheck(new WireReader(in.bytes(), valueStart, valueEnd - valueStart))
        .message(shape, depth + 1);
  }

  /** Where a string is written: in a mapping's key place, or as a value. */
  private enum Place {
    KEY,
    VALUE
  }

  /** A length-delimited string: sure when printable ASCII YamlText writes, else asked exactly. */
  private boolean string(Place place) {
    int start = in.readDelimited();
    int end = in.position();
    byte[] bytes = in.bytes();
    if (place == Place.KEY && (end == start || end - start > YamlScalars.SIMPLE_KEY_LENGTH)) {
      return false;
    }
    if (isQuotelessAscii(bytes, start, end, place == Place.KEY ? '!' : ' ')) {
      return true;
    }
    String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
    YamlScalars.Style style =
        place == Place.KEY ? YamlScalars.keyStyle(text) : YamlScalars.valueStyle(text);
    return style.isSure();
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * Whether every byte from {@code start} to {@code end} is printable ASCII from {@code lowest} (a
   * space or {@code !}) to {@code ~}, other than {@code "} and {@code \\}: eight bytes at a time,
   * as strings are most of a resource's encoding.
   */
  static boolean isQuotelessAscii(byte[] bytes, int start, int end, char lowest) {
    int i = start;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      if ((word & HIGHS) != 0
          || hasByteBelow(word, lowest)
          || hasByte(word, 0x7f)
          || hasByte(word, '"')
          || hasByte(word, '\\')) {
        return false;
      }
    }
    for (; i < end; i++) {
      byte b = bytes[i];
      if (b < lowest || b > '~' || b == '"' || b == '\\') {
        return false;
      }
    }
    return true;
  }

  /** Whether a word of ASCII bytes has one below {@code limit} (at most 128). */
  private static boolean hasByteBelow(long word, int limit) {
    return ((word - ONES * limit) & ~word & HIGHS) != 0;
  }

  private static boolean hasByte(long word, int value) {
    long zeroWhereEqual = word ^ (ONES * value);
    return ((zeroWhereEqual - ONES) & ~zeroWhereEqual & HIGHS) != 0;
  }
}
