package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.common.io.BaseEncoding;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Scalar values read from their wire encoding and written as protobuf's JsonFormat prints them,
 * read back by Jackson: 32-bit integers as numbers (unsigned ones without a sign), 64-bit ones as
 * strings, floating point as the number of its {@code toString} (NaN and infinities quoted), bytes
 * as base64, enums by name (by number when unknown, null for {@code NullValue}).
 */
final class ScalarJson {
  private ScalarJson() {}

  /** Reads one value of {@code field} (not a message) from {@code in} and writes it. */
  static void write(JsonGenerator generator, FieldShape field, CodedInputStream in)
      throws IOException {
    switch (field.type()) {
      case INT32 -> generator.writeNumber(in.readInt32());
      case SINT32 -> generator.writeNumber(in.readSInt32());
      case SFIXED32 -> generator.writeNumber(in.readSFixed32());
      case UINT32 -> writeUnsigned(generator, in.readUInt32());
      case FIXED32 -> writeUnsigned(generator, in.readFixed32());
      case INT64 -> generator.writeString(Long.toString(in.readInt64()));
      case SINT64 -> generator.writeString(Long.toString(in.readSInt64()));
      case SFIXED64 -> generator.writeString(Long.toString(in.readSFixed64()));
      case UINT64 -> generator.writeString(Long.toUnsignedString(in.readUInt64()));
      case FIXED64 -> generator.writeString(Long.toUnsignedString(in.readFixed64()));
      case BOOL -> generator.writeBoolean(in.readBool());
      case FLOAT -> {
        float value = in.readFloat();
        writeFloating(generator, value, Float.toString(value));
      }
      case DOUBLE -> {
        double value = in.readDouble();
        writeFloating(generator, value, Double.toString(value));
      }
      case STRING -> {
        if (generator instanceof DocumentText text) {
          ByteBuffer bytes = in.readByteBuffer();
          text.writeUTF8String(
              bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        } else {
          generator.writeString(in.readString());
        }
      }
      case BYTES -> generator.writeString(BaseEncoding.base64().encode(in.readByteArray()));
      case ENUM -> writeEnum(generator, field, in.readEnum());
      case MESSAGE, GROUP ->
          throw new IllegalStateException("not a scalar: " + field.descriptor().getFullName());
    }
  }

  /**
   * Reads a map key of {@code key}'s type from {@code in} and writes it as a field name; {@link
   * DocumentText} gets a string key's UTF-8 bytes.
   */
  static void writeMapKey(JsonGenerator generator, FieldShape key, CodedInputStream in)
      throws IOException {
    if (key.type() == FieldDescriptor.Type.STRING && generator instanceof DocumentText text) {
      ByteBuffer bytes = in.readByteBuffer();
      text.writeFieldName(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    } else {
      generator.writeFieldName(mapKey(key, in));
    }
  }

  /** Reads a map key of {@code key}'s type from {@code in}: its text, as JsonFormat writes it. */
  static String mapKey(FieldShape key, CodedInputStream in) throws IOException {
    return switch (key.type()) {
      case INT32 -> Integer.toString(in.readInt32());
      case SINT32 -> Integer.toString(in.readSInt32());
      case SFIXED32 -> Integer.toString(in.readSFixed32());
      case UINT32 -> Integer.toUnsignedString(in.readUInt32());
      case FIXED32 -> Integer.toUnsignedString(in.readFixed32());
      case INT64 -> Long.toString(in.readInt64());
      case SINT64 -> Long.toString(in.readSInt64());
      case SFIXED64 -> Long.toString(in.readSFixed64());
      case UINT64 -> Long.toUnsignedString(in.readUInt64());
      case FIXED64 -> Long.toUnsignedString(in.readFixed64());
      case BOOL -> Boolean.toString(in.readBool());
      case STRING -> in.readString();
      default ->
          throw new IllegalStateException("not a map key type: " + key.descriptor().getFullName());
    };
  }

  /** Reads a {@code google.protobuf.Duration} and gives JsonFormat's text of it. */
  static String duration(CodedInputStream in) throws IOException {
    return Durations.toString(Duration.parseFrom(in));
  }

  private static void writeEnum(JsonGenerator generator, FieldShape field, int number)
      throws IOException {
    if (field.isNullValue()) {
      generator.writeNull();
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
