package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.common.io.BaseEncoding;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a message as the generator events of protobuf's {@code JsonFormat} output read back as a
 * Jackson tree, without printing text or building the tree: field by field, in {@code
 * getAllFields()} order, with {@code JsonFormat}'s names and value forms (64-bit integers as
 * strings, bytes as base64, enums by name, {@code Any} as {@code @type} and the packed message's
 * fields). Well-known types other than {@code Any} (durations, wrappers, structs), whose JSON has
 * forms of its own, are left to {@code JsonFormat} ({@link ProtoJson#writeTree}). Printing a
 * translation through {@code JsonFormat} text and a tree per chain cost three passes over every
 * chain (benchmarks/README.md, PrintBenchmark); a test compares both writers on every corpus
 * translation.
 */
final class ProtoJsonStream {
  private static final String NULL_VALUE = "google.protobuf.NullValue";

  private ProtoJsonStream() {}

  /** {@code message} as its JSON value. */
  static void writeMessage(JsonGenerator generator, Message message) throws IOException {
    Descriptor type = message.getDescriptorForType();
    if (type.equals(Any.getDescriptor())) {
      writeAny(generator, anyTypeUrl(message), unpack(message));
    } else if (isWellKnown(type)) {
      ProtoJson.writeTree(generator, message);
    } else {
      generator.writeStartObject();
      writeFields(generator, message);
      generator.writeEndObject();
    }
  }

  /**
   * {@code unpacked} packed in an {@code Any} of {@code typeUrl}: {@code @type} first, then its
   * fields ({@code value} for a well-known type, as {@code JsonFormat} writes it).
   */
  static void writeAny(JsonGenerator generator, String typeUrl, Message unpacked)
      throws IOException {
    if (isWellKnown(unpacked.getDescriptorForType())) {
      ProtoJson.writeTree(
          generator,
          Any.newBuilder().setTypeUrl(typeUrl).setValue(unpacked.toByteString()).build());
      return;
    }
    generator.writeStartObject();
    generator.writeStringField("@type", typeUrl);
    writeFields(generator, unpacked);
    generator.writeEndObject();
  }

  private static void writeFields(JsonGenerator generator, Message message) throws IOException {
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      generator.writeFieldName(descriptor.getJsonName());
      if (descriptor.isMapField()) {
        FieldDescriptor key = descriptor.getMessageType().findFieldByName("key");
        FieldDescriptor value = descriptor.getMessageType().findFieldByName("value");
        generator.writeStartObject();
        for (Object entry : (List<?>) field.getValue()) {
          Message pair = (Message) entry;
          generator.writeFieldName(mapKey(key, pair.getField(key)));
          writeValue(generator, value, pair.getField(value));
        }
        generator.writeEndObject();
      } else if (descriptor.isRepeated()) {
        generator.writeStartArray();
        for (Object element : (List<?>) field.getValue()) {
          writeValue(generator, descriptor, element);
        }
        generator.writeEndArray();
      } else {
        writeValue(generator, descriptor, field.getValue());
      }
    }
  }

  /** One value of {@code field}, as JsonFormat prints it and Jackson reads that text back. */
  private static void writeValue(JsonGenerator generator, FieldDescriptor field, Object value)
      throws IOException {
    switch (field.getType()) {
      case INT32, SINT32, SFIXED32 -> generator.writeNumber((Integer) value);
      case UINT32, FIXED32 -> writeLong(generator, Integer.toUnsignedLong((Integer) value));
      case INT64, SINT64, SFIXED64 -> generator.writeString(Long.toString((Long) value));
      case UINT64, FIXED64 -> generator.writeString(Long.toUnsignedString((Long) value));
      case BOOL -> generator.writeBoolean((Boolean) value);
      case FLOAT -> writeFloating(generator, (Float) value, Float.toString((Float) value));
      case DOUBLE -> writeFloating(generator, (Double) value, Double.toString((Double) value));
      case STRING -> generator.writeString((String) value);
      case BYTES ->
          generator.writeString(BaseEncoding.base64().encode(((ByteString) value).toByteArray()));
      case ENUM -> {
        EnumValueDescriptor constant = (EnumValueDescriptor) value;
        if (constant.getType().getFullName().equals(NULL_VALUE)) {
          generator.writeNull();
        } else if (constant.getIndex() == -1) {
          generator.writeNumber(constant.getNumber());
        } else {
          generator.writeString(constant.getName());
        }
      }
      case MESSAGE, GROUP -> writeMessage(generator, (Message) value);
    }
  }

  /** Jackson reads a number that fits an int as an int, a bigger one as a long. */
  private static void writeLong(JsonGenerator generator, long value) throws IOException {
    if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
      generator.writeNumber((int) value);
    } else {
      generator.writeNumber(value);
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

  /** A map key as JsonFormat writes it: the key's text, unsigned ones without a sign. */
  private static String mapKey(FieldDescriptor key, Object value) {
    return switch (key.getType()) {
      case UINT32, FIXED32 -> Integer.toUnsignedString((Integer) value);
      case UINT64, FIXED64 -> Long.toUnsignedString((Long) value);
      default -> String.valueOf(value);
    };
  }

  /**
   * google.protobuf types other than Any have JSON forms of their own (strings, numbers, lists).
   */
  static boolean isWellKnown(Descriptor type) {
    return type.getFile().getPackage().equals("google.protobuf")
        && !type.equals(Any.getDescriptor());
  }

  private static String anyTypeUrl(Message any) {
    return any instanceof Any packed
        ? packed.getTypeUrl()
        : (String) any.getField(any.getDescriptorForType().findFieldByName("type_url"));
  }

  /** The message an Any packs, read with the types of {@link EnvoyNames#TYPE_REGISTRY}. */
  static Message unpack(Message any) {
    String typeUrl = anyTypeUrl(any);
    ByteString bytes =
        any instanceof Any packed
            ? packed.getValue()
            : (ByteString) any.getField(any.getDescriptorForType().findFieldByName("value"));
    Descriptor type =
        EnvoyNames.TYPE_REGISTRY.find(typeUrl.substring(typeUrl.lastIndexOf('/') + 1));
    if (type == null) {
      throw new IllegalStateException("every type packed in a resource is registered: " + typeUrl);
    }
    try {
      return DynamicMessage.parseFrom(type, bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an Any the translator packed parses: " + e.getMessage(), e);
    }
  }
}
