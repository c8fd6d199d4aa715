package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.google.common.io.BaseEncoding;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Scalar values read from their wire encoding and written as protobuf's JsonFormat prints them,
 * read back by Jackson: 32-bit integers as numbers (unsigned ones without a sign), 64-bit ones as
 * strings, floating point as the number of its {@code toString} (NaN and infinities quoted), bytes
 * as base64, enums by name (by number when unknown, null for {@code NullValue}).
 */
final class ScalarJson {
  private ScalarJson() {}

  /** Reads one value of {@code field} (not a message) from {@code in} and writes it. */
  static void write(JsonGenerator generator, FieldShape field, WireReader in) throws IOException {
    switch (field.type()) {
      case INT32 -> generator.writeNumber(in.readVarint32());
      case SINT32 -> generator.writeNumber(zigZag(in.readVarint32()));
      case SFIXED32 -> generator.writeNumber(in.readFixed32());
      case UINT32 -> writeUnsigned(generator, in.readVarint32());
      case FIXED32 -> writeUnsigned(generator, in.readFixed32());
      case INT64 -> generator.writeString(Long.toString(in.readVarint64()));
      case SINT64 -> generator.writeString(Long.toString(zigZag(in.readVarint64())));
      case SFIXED64 -> generator.writeString(Long.toString(in.readFixed64()));
      case UINT64 -> generator.writeString(Long.toUnsignedString(in.readVarint64()));
      case FIXED64 -> generator.writeString(Long.toUnsignedString(in.readFixed64()));
      case BOOL -> generator.writeBoolean(in.readVarint64() != 0);
      case FLOAT -> {
        float value = Float.intBitsToFloat(in.readFixed32());
        writeFloating(generator, value, Float.toString(value));
      }
      case DOUBLE -> {
        double value = Double.longBitsToDouble(in.readFixed64());
        writeFloating(generator, value, Double.toString(value));
      }
      case STRING -> {
        int start = in.readDelimited();
        if (generator instanceof DocumentText text) {
          text.writeUTF8String(in.bytes(), start, in.position() - start);
        } else {
          generator.writeString(string(in, start));
        }
      }
      case BYTES -> {
        int start = in.readDelimited();
        generator.writeString(
            BaseEncoding.base64().encode(in.bytes(), start, in.position() - start));
      }
      case ENUM -> writeEnum(generator, field, in.readVarint32());
      case MESSAGE, GROUP ->
          throw new IllegalStateException("not a scalar: " + field.descriptor().getFullName());
    }
  }

  /**
   * Reads a map key of {@code key}'s type from {@code in} and writes it as a field name; {@link
   * DocumentText} gets a string key's UTF-8 bytes.
   */
  static void writeMapKey(JsonGenerator generator, FieldShape key, WireReader in)
      throws IOException {
    if (key.type() == FieldDescriptor.Type.STRING && generator instanceof DocumentText text) {
      int start = in.readDelimited();
      text.writeFieldName(in.bytes(), start, in.position() - start);
    } else {
      generator.writeFieldName(mapKey(key, in));
    }
  }

  /** Reads a map key of {@code key}'s type from {@code in}: its text, as JsonFormat writes it. */
  static String mapKey(FieldShape key, WireReader in) throws IOException {
    return switch (key.type()) {
      case INT32 -> Integer.toString(in.readVarint32());
      case SINT32 -> Integer.toString(zigZag(in.readVarint32()));
      case SFIXED32 -> Integer.toString(in.readFixed32());
      case UINT32 -> Integer.toUnsignedString(in.readVarint32());
      case FIXED32 -> Integer.toUnsignedString(in.readFixed32());
      case INT64 -> Long.toString(in.readVarint64());
      case SINT64 -> Long.toString(zigZag(in.readVarint64()));
      case SFIXED64 -> Long.toString(in.readFixed64());
      case UINT64 -> Long.toUnsignedString(in.readVarint64());
      case FIXED64 -> Long.toUnsignedString(in.readFixed64());
      case BOOL -> Boolean.toString(in.readVarint64() != 0);
      case STRING -> string(in, in.readDelimited());
      default ->
          throw new IllegalStateException("not a map key type: " + key.descriptor().getFullName());
    };
  }

  /**
   * Reads a {@code google.protobuf.Duration} up to the reader's limit and gives JsonFormat's text
   * of it: its seconds and nanos (the last of each, as parsing takes), other fields skipped. The
   * text of the first {@link #DURATIONS_KEPT} distinct durations is kept, one instance each (a
   * translation's clusters share their connect timeout), which a text writer works out once.
   */
  static SerializedString duration(WireReader in) {
    long seconds = 0;
    int nanos = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int number = WireFormat.getTagFieldNumber(tag);
      if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_VARINT || number > 2) {
        in.skipField(tag);
      } else if (number == 1) {
        seconds = in.readVarint64();
      } else {
        nanos = in.readVarint32();
      }
    }
    DurationKey key = new DurationKey(seconds, nanos);
    SerializedString kept = DURATIONS.get(key);
    if (kept != null) {
      return kept;
    }
    SerializedString text =
        new SerializedString(
            Durations.toString(Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build()));
    if (DURATIONS.size() < DURATIONS_KEPT) {
      SerializedString raced = DURATIONS.putIfAbsent(key, text);
      return raced != null ? raced : text;
    }
    return text;
  }

  /** How many durations' texts are kept, so that a document of many distinct ones holds few. */
  private static final int DURATIONS_KEPT = 64;

  private static final ConcurrentMap<DurationKey, SerializedString> DURATIONS =
      new ConcurrentHashMap<>();

  private record DurationKey(long seconds, int nanos) {}

  /** The string from {@code start} to the reader's position, decoded as protobuf decodes it. */
  private static String string(WireReader in, int start) {
    return new String(in.bytes(), start, in.position() - start, StandardCharsets.UTF_8);
  }

  private static int zigZag(int n) {
    return (n >>> 1) ^ -(n & 1);
  }

  private static long zigZag(long n) {
    return (n >>> 1) ^ -(n & 1);
  }

  private static void writeEnum(JsonGenerator generator, FieldShape field, int number)
      throws IOException {
    if (field.isNullValue()) {
      generator.writeNull();
      return;
    }
    SerializedString name = generator instanceof DocumentText ? field.enumName(number) : null;
    if (name != null) {
      // One instance per name: the text writer works its text out once.
      generator.writeString(name);
      return;
    }
    EnumValueDescriptor constant = field.enumType().findValueByNumber(number);
    if (constant == null) {
      generator.writeNumber(number);
    } else {
      generator.writeString(constant.getName());
    }
  }

  /** Jackson reads a number that fits an int as an int, a bigger one as a long. */
  private static void writeUnsigned(JsonGenerator generator, int bits) throws IOException {
    if (bits >= 0) {
      generator.writeNumber(bits);
    } else {
      generator.writeNumber(Integer.toUnsignedLong(bits));
    }
  }

  /**
   * JsonFormat prints {@code text} ({@code Float.toString} or {@code Double.toString}), or a quoted
   * {@code NaN} or infinity; Jackson reads the number back as a double.
   */
  private static void writeFloating(JsonGenerator generator, double value, String text)
      throws IOException {
    if (Double.isNaN(value)) {
      generator.writeString("NaN");
    } else if (Double.isInfinite(value)) {
      generator.writeString(value > 0 ? "Infinity" : "-Infinity");
    } else {
      generator.writeNumber(Double.parseDouble(text));
    }
  }
}
