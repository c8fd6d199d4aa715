package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.NullValue;
import org.jspecify.annotations.Nullable;

/**
 * One field of a {@link MessageShape}: the facts about its descriptor {@link ProtoJsonStream} reads
 * for every value ({@code FieldDescriptor.isRepeated} alone reads the descriptor's proto on each
 * call).
 */
final class FieldShape {
  private final FieldDescriptor descriptor;
  private final int number;
  private final FieldName jsonName;
  private final FieldDescriptor.Type type;
  private final boolean repeated;
  private final boolean packable;
  private final boolean nullValue;
  private final boolean yamlNameSure;
  private final @Nullable FieldShape mapKey;
  private final @Nullable FieldShape mapValue;

  /**
   * The shape of its messages, looked up on first use (a shape is made inside the memo's update,
   * which must not make another) and kept: the lookup per value cost a share of printing. Racing
   * threads store equal shapes, whose fields are final.
   */
  private @Nullable MessageShape message;

  /**
   * An enum field's value names by number (numbers from 0 to {@link #ENUM_NUMBERS}), made on first
   * use: a text writer works each name's text out once. Racing threads store equal arrays.
   */
  private @Nullable SerializedString @Nullable [] enumNames;

  private static final int ENUM_NUMBERS = 1024;

  FieldShape(FieldDescriptor descriptor) {
    this.descriptor = descriptor;
    this.number = descriptor.getNumber();
    this.jsonName = new FieldName(descriptor.getJsonName());
    this.yamlNameSure = YamlScalars.keyStyle(descriptor.getJsonName()).isSure();
    this.type = descriptor.getType();
    this.repeated = descriptor.isRepeated();
    this.packable = descriptor.isPackable();
    this.nullValue =
        type == FieldDescriptor.Type.ENUM
            && descriptor.getEnumType().equals(NullValue.getDescriptor());
    if (descriptor.isMapField()) {
      this.mapKey = new FieldShape(descriptor.getMessageType().findFieldByNumber(1));
      this.mapValue = new FieldShape(descriptor.getMessageType().findFieldByNumber(2));
    } else {
      this.mapKey = null;
      this.mapValue = null;
    }
  }

  FieldDescriptor descriptor() {
    return descriptor;
  }

  int number() {
    return number;
  }

  FieldName jsonName() {
    return jsonName;
  }

  /** Whether {@link YamlText} writes its JSON name as a key (see {@link YamlWireCheck}). */
  boolean isYamlNameSure() {
    return yamlNameSure;
  }

  FieldDescriptor.Type type() {
    return type;
  }

  boolean isRepeated() {
    return repeated;
  }

  /** Whether its values may be encoded packed (repeated numbers, bools and enums). */
  boolean isPackable() {
    return packable;
  }

  boolean isMap() {
    return mapKey != null;
  }

  /** Whether it is a {@code google.protobuf.NullValue}, which JsonFormat writes as null. */
  boolean isNullValue() {
    return nullValue;
  }

  EnumDescriptor enumType() {
    return descriptor.getEnumType();
  }

  /**
   * The name of an enum field's value of {@code number} as one instance per name, or null when
   * there is none or the number is not kept: then {@link #enumType()} tells.
   */
  @Nullable SerializedString enumName(int number) {
    SerializedString[] names = enumNames;
    if (names == null) {
      int max = 0;
      for (EnumValueDescriptor value : enumType().getValues()) {
        max = Math.max(max, Math.min(value.getNumber(), ENUM_NUMBERS));
      }
      names = new SerializedString[max + 1];
      for (EnumValueDescriptor value : enumType().getValues()) {
        int at = value.getNumber();
        // The first value of a number is the one findValueByNumber gives (aliases come later).
        if (at >= 0 && at <= max && names[at] == null) {
          names[at] = new SerializedString(value.getName());
        }
      }
      enumNames = names;
    }
    return number >= 0 && number < names.length ? names[number] : null;
  }

  /** The shape of its messages, or null when its values are not messages. */
  @Nullable MessageShape message() {
    MessageShape shape = message;
    if (shape == null
        && (type == FieldDescriptor.Type.MESSAGE || type == FieldDescriptor.Type.GROUP)) {
      shape = MessageShape.of(descriptor.getMessageType());
      message = shape;
    }
    return shape;
  }

  /** A map field's key; only for maps. */
  FieldShape mapKey() {
    if (mapKey == null) {
      throw new IllegalStateException("not a map: " + descriptor.getFullName());
    }
    return mapKey;
  }

  /** A map field's value; only for maps. */
  FieldShape mapValue() {
    if (mapValue == null) {
      throw new IllegalStateException("not a map: " + descriptor.getFullName());
    }
    return mapValue;
  }
}
