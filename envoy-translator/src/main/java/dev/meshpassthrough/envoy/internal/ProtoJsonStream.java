package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a message as the generator events of protobuf's {@code JsonFormat} output read back as a
 * Jackson tree, without printing text, building the tree, or reading the message by reflection: it
 * walks the message's wire encoding ({@link WireReader}) with its descriptors ({@link
 * MessageShape}). JsonFormat writes the fields {@code getAllFields()} gives, in field-number order,
 * which is the order generated code encodes them in, and a field is encoded exactly when {@code
 * getAllFields()} has it (a repeated field when not empty, a field with presence when set, a proto3
 * scalar when not its default). Values take JsonFormat's forms: 64-bit integers as strings, bytes
 * as base64, enums by name, an {@code Any} as {@code @type} and the packed message's fields (its
 * bytes walked directly, never parsed into a message), durations and wrappers as JsonFormat prints
 * them. Other well-known types (structs), whose JSON has forms of its own, are left to {@code
 * JsonFormat} ({@link ProtoJson#writeTree}). A test compares the output with JsonFormat's on every
 * corpus translation.
 */
final class ProtoJsonStream {
  /**
   * Eight zero bytes: read as any scalar they give its default value, as a message an empty one.
   */
  private static final byte[] DEFAULTS = new byte[8];

  private ProtoJsonStream() {}

  /**
   * The message of the packed type encoded in {@code value}, packed in an {@code Any}: {@code
   * @type} first, then its fields.
   */
  static void writeAny(JsonGenerator generator, PackedType packed, byte[] value)
      throws IOException {
    writeAny(generator, packed, new WireReader(value, 0, value.length));
  }

  private static void writeAny(JsonGenerator generator, PackedType packed, WireReader value)
      throws IOException {
    SerializedString typeUrl = packed.url();
    MessageShape shape = packed.shape();
    generator.writeStartObject();
    generator.writeFieldName(MessageShape.TYPE_FIELD);
    if (generator instanceof DocumentText text) {
      // The URL's one instance: the writer works its text out once.
      text.writeString(typeUrl);
    } else {
      // Another generator may escape differently from the URL's quoted JSON form.
      generator.writeString(typeUrl.getValue());
    }
    if (shape.form() == MessageShape.Form.FIELDS) {
      writeFields(generator, shape, value);
    } else {
      // JsonFormat writes a well-known type's own JSON form as the Any's "value".
      generator.writeFieldName(MessageShape.VALUE_FIELD);
      writeMessage(generator, shape, value);
    }
    generator.writeEndObject();
  }

  /** The message whose encoding {@code in} holds up to its limit, as its JSON value. */
  private static void writeMessage(JsonGenerator generator, MessageShape shape, WireReader in)
      throws IOException {
    switch (shape.form()) {
      case FIELDS -> {
        generator.writeStartObject();
        writeFields(generator, shape, in);
        generator.writeEndObject();
      }
      case ANY -> writeAnyMessage(generator, in);
      case WRAPPER -> writeWrapper(generator, shape, in);
      case DURATION -> {
        SerializedString duration = ScalarJson.duration(in);
        if (generator instanceof DocumentText) {
          // A constant instance: the text writer works its text out once.
          generator.writeString(duration);
        } else {
          generator.writeString(duration.getValue());
        }
      }
      case OTHER_WELL_KNOWN -> {
        CodedInputStream message =
            CodedInputStream.newInstance(in.bytes(), in.position(), in.limit() - in.position());
        // Parsed to the reader's limit, which its caller moves past.
        ProtoJson.writeTree(generator, DynamicMessage.parseFrom(shape.type(), message));
      }
    }
  }

  private static void writeFields(JsonGenerator generator, MessageShape shape, WireReader in)
      throws IOException {
    FieldShape open = null;
    int last = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      FieldShape field = shape.field(WireFormat.getTagFieldNumber(tag));
      if (field == null) {
        // Unknown fields: JsonFormat does not print them.
        in.skipField(tag);
        continue;
      }
      if (field != open) {
        if (open != null) {
          endRepeated(generator, open);
          open = null;
        }
        if (field.number() <= last) {
          throw new IllegalStateException(
              "fields are encoded once each, by number: " + field.descriptor().getFullName());
        }
        last = field.number();
        generator.writeFieldName(field.jsonName());
        if (field.isMap()) {
          generator.writeStartObject();
          open = field;
        } else if (field.isRepeated()) {
          generator.writeStartArray();
          open = field;
        }
      }
      if (field.isMap()) {
        writeMapEntry(generator, field, in);
      } else if (field.isRepeated()
          && field.isPackable()
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit();
        while (!in.isAtEnd()) {
          writeValue(generator, field, in);
        }
        in.popLimit(limit);
      } else {
        writeValue(generator, field, in);
      }
    }
    if (open != null) {
      endRepeated(generator, open);
    }
  }

  private static void endRepeated(JsonGenerator generator, FieldShape field) throws IOException {
    if (field.isMap()) {
      generator.writeEndObject();
    } else {
      generator.writeEndArray();
    }
  }

  /**
   * One map entry: its key as a field name, then its value; an absent one is its default. Generated
   * code encodes the key before the value, which JsonFormat writes in that order too.
   */
  private static void writeMapEntry(JsonGenerator generator, FieldShape map, WireReader in)
      throws IOException {
    int limit = in.pushLimit();
    boolean named = false;
    boolean valued = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int number = WireFormat.getTagFieldNumber(tag);
      if (number == 1 && !named && !valued) {
        ScalarJson.writeMapKey(generator, map.mapKey(), in);
        named = true;
      } else if (number == 2 && !valued) {
        if (!named) {
          throw new IllegalStateException(
              "a map entry encodes its key first: " + map.descriptor().getFullName());
        }
        writeValue(generator, map.mapValue(), in);
        valued = true;
      } else {
        in.skipField(tag);
      }
    }
    in.popLimit(limit);
    if (!named) {
      generator.writeFieldName(ScalarJson.mapKey(map.mapKey(), defaults()));
    }
    if (!valued) {
      writeValue(generator, map.mapValue(), defaults());
    }
  }

  /** One value of {@code field}, as JsonFormat prints it and Jackson reads that text back. */
  private static void writeValue(JsonGenerator generator, FieldShape field, WireReader in)
      throws IOException {
    MessageShape message = field.message();
    if (message == null) {
      ScalarJson.write(generator, field, in);
    } else {
      int limit = in.pushLimit();
      writeMessage(generator, message, in);
      in.popLimit(limit);
    }
  }

  /** An {@code Any} inside a message: its bytes walked with the registered type of its URL. */
  private static void writeAnyMessage(JsonGenerator generator, WireReader in) throws IOException {
    byte[] bytes = in.bytes();
    int typeUrl = 0;
    int typeUrlEnd = 0;
    int value = 0;
    int valueEnd = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int number = WireFormat.getTagFieldNumber(tag);
      if ((number == 1 || number == 2)
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int start = in.readDelimited();
        if (number == 1) {
          typeUrl = start;
          typeUrlEnd = in.position();
        } else {
          value = start;
          valueEnd = in.position();
        }
      } else {
        in.skipField(tag);
      }
    }
    PackedType packed = PackedType.of(bytes, typeUrl, typeUrlEnd - typeUrl);
    if (packed == null) {
      throw new IllegalStateException(
          "every type packed in a resource is registered: "
              + new String(bytes, typeUrl, typeUrlEnd - typeUrl, StandardCharsets.UTF_8));
    }
    writeAny(generator, packed, new WireReader(bytes, value, valueEnd - value));
  }

  /** A wrapper is written as its value, the default when absent. */
  private static void writeWrapper(JsonGenerator generator, MessageShape shape, WireReader in)
      throws IOException {
    FieldShape value = shape.field(1);
    boolean written = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1 && value != null && !written) {
        ScalarJson.write(generator, value, in);
        written = true;
      } else {
        in.skipField(tag);
      }
    }
    if (!written && value != null) {
      ScalarJson.write(generator, value, defaults());
    }
  }

  private static WireReader defaults() {
    return new WireReader(DEFAULTS, 0, DEFAULTS.length);
  }
}
