package dev.meshpassthrough.testkit.acceptance.internal;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code xds.type.v3.TypedStruct}: Envoy converts its {@code value} (a {@code Struct}, proto3
 * JSON) into the message named by {@code type_url} and configures the extension with that. Fields
 * newer than this project's Envoy API are allowed by name when Envoy 1.40 has them ({@link
 * #NEWER_FIELDS}); any other unknown field is refused, as Envoy refuses a field it does not know.
 */
final class TypedStructs {
  /**
   * Fields Envoy 1.40's messages have and java-control-plane 1.0.49's do not, by message, with the
   * JSON kind each takes.
   */
  static final Map<String, Set<String>> NEWER_FIELDS =
      Map.of(
          "envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig",
          Set.of("allow_dynamic_host_from_filter_state", "allowDynamicHostFromFilterState"));

  private TypedStructs() {}

  /**
   * The message {@code typed} stands for, or empty (with a problem) when its type is unknown or its
   * value does not convert.
   */
  static Optional<DynamicMessage> open(
      TypedStruct typed, TypeRegistry registry, String path, ProblemSink sink) {
    Descriptor type;
    try {
      type = registry.getDescriptorForTypeUrl(typed.getTypeUrl());
    } catch (InvalidProtocolBufferException e) {
      type = null;
    }
    if (type == null) {
      sink.add(
          path + ".typeUrl",
          "any.unknown-type",
          "unknown type "
              + typed.getTypeUrl()
              + " in a TypedStruct: Envoy rejects extensions it does not know");
      return Optional.empty();
    }
    Struct.Builder value = typed.getValue().toBuilder();
    for (String newer : NEWER_FIELDS.getOrDefault(type.getFullName(), Set.of())) {
      Value field = value.getFieldsOrDefault(newer, null);
      if (field != null) {
        if (!field.hasBoolValue()) {
          sink.add(
              path + ".value." + newer,
              "typed-struct.value",
              newer + " must be a bool, is " + field.getKindCase());
        }
        value.removeFields(newer);
      }
    }
    DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
    try {
      JsonFormat.parser()
          .usingTypeRegistry(registry)
          .merge(JsonFormat.printer().print(value.build()), message);
    } catch (InvalidProtocolBufferException e) {
      sink.add(
          path + ".value",
          "typed-struct.value",
          "the value does not convert to " + type.getFullName() + ": " + e.getMessage());
      return Optional.empty();
    }
    return Optional.of(message.build());
  }

  /** Whether {@code typed} sets the bool field {@code name} (one of {@link #NEWER_FIELDS}). */
  static boolean flag(TypedStruct typed, String name) {
    Value field = typed.getValue().getFieldsOrDefault(name, Value.getDefaultInstance());
    return field.hasBoolValue() && field.getBoolValue();
  }
}
