package dev.meshpassthrough.testkit.acceptance.internal;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.pgv.validate.Validate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a message against the protoc-gen-validate rules ({@code validate.rules}) carried by the
 * descriptors of Envoy's API, read reflectively, recursing into every set message field and into
 * every {@code Any} whose type the registry knows, and into the message an {@code
 * xds.type.v3.TypedStruct} stands for ({@link TypedStructs}). Stateless apart from its registry;
 * thread-safe.
 */
public final class PgvChecker {
  private final TypeRegistry registry;

  /** A checker that unpacks {@code Any} values whose types {@code registry} knows. */
  public PgvChecker(TypeRegistry registry) {
    this.registry = registry;
  }

  /** Checks {@code message}, reporting under {@code path}. */
  public void check(Message message, String path, ProblemSink sink) {
    Descriptor type = message.getDescriptorForType();
    if (type.getOptions().getExtension(Validate.disabled)
        || type.getOptions().getExtension(Validate.ignored)) {
      return;
    }
    for (OneofDescriptor oneof : type.getRealOneofs()) {
      if (oneof.getOptions().getExtension(Validate.required) && !message.hasOneof(oneof)) {
        sink.add(path, "pgv.oneof.required", "one of " + oneofFields(oneof) + " is required");
      }
    }
    for (FieldDescriptor field : type.getFields()) {
      Validate.FieldRules rules = field.getOptions().getExtension(Validate.rules);
      String fieldPath = (path.isEmpty() ? "" : path + ".") + field.getJsonName();
      if (field.isMapField()) {
        checkMap(message, field, rules, fieldPath, sink);
      } else if (field.isRepeated()) {
        checkRepeated(message, field, rules, fieldPath, sink);
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (!message.hasField(field)) {
          // A member of a oneof is required only when its branch is taken; the oneof rule covers
          // the rest.
          boolean inOneof = field.getRealContainingOneof() != null;
          if (!inOneof && rules.getMessage().getRequired()
              || rules.getAny().getRequired()
              || rules.getDuration().getRequired()) {
            sink.add(fieldPath, "pgv.message.required", "value is required");
          }
          continue;
        }
        checkMessageValue((Message) message.getField(field), rules, fieldPath, sink);
      } else if (!field.hasPresence() || message.hasField(field)) {
        ScalarRules.check(message.getField(field), field, rules, fieldPath, sink);
      }
    }
  }

  private void checkMessageValue(
      Message value, Validate.FieldRules rules, String path, ProblemSink sink) {
    if (ScalarRules.isWrapper(value)) {
      FieldDescriptor inner = value.getDescriptorForType().findFieldByName("value");
      ScalarRules.check(value.getField(inner), inner, rules, path, sink);
      return;
    }
    // Inside an opened Any the values are DynamicMessages: read Any and Duration by their type
    // name, so that configs packed in configs (an HTTP filter in a connection manager) are
    // checked too.
    String typeName = value.getDescriptorForType().getFullName();
    if (typeName.equals(Any.getDescriptor().getFullName())) {
      checkAny(asAny(value), rules, path, sink);
      return;
    }
    if (typeName.equals(com.google.protobuf.Duration.getDescriptor().getFullName())) {
      ScalarRules.checkDuration(asDuration(value), rules.getDuration(), path, sink);
    }
    if (!rules.getMessage().getSkip()) {
      check(value, path, sink);
    }
  }

  private static Any asAny(Message value) {
    if (value instanceof Any any) {
      return any;
    }
    try {
      return Any.parseFrom(value.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an Any's bytes parse as an Any", e);
    }
  }

  private static com.google.protobuf.Duration asDuration(Message value) {
    if (value instanceof com.google.protobuf.Duration duration) {
      return duration;
    }
    try {
      return com.google.protobuf.Duration.parseFrom(value.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a Duration's bytes parse as a Duration", e);
    }
  }

  private void checkAny(Any any, Validate.FieldRules rules, String path, ProblemSink sink) {
    Validate.AnyRules anyRules = rules.getAny();
    if (!anyRules.getInList().isEmpty() && !anyRules.getInList().contains(any.getTypeUrl())) {
      sink.add(
          path,
          "pgv.any.in",
          "type " + any.getTypeUrl() + " is not one of " + anyRules.getInList());
    }
    if (anyRules.getNotInList().contains(any.getTypeUrl())) {
      sink.add(path, "pgv.any.not_in", "type " + any.getTypeUrl() + " is not allowed here");
    }
    Descriptor packed;
    try {
      packed = registry.getDescriptorForTypeUrl(any.getTypeUrl());
    } catch (InvalidProtocolBufferException e) {
      packed = null;
    }
    if (packed == null) {
      sink.add(
          path,
          "any.unknown-type",
          "unknown type " + any.getTypeUrl() + ": Envoy rejects extensions it does not know");
      return;
    }
    try {
      DynamicMessage message = DynamicMessage.parseFrom(packed, any.getValue());
      check(message, path, sink);
      if (packed.getFullName().equals(TypedStruct.getDescriptor().getFullName())) {
        TypedStructs.open(TypedStruct.parseFrom(any.getValue()), registry, path, sink)
            .ifPresent(inner -> check(inner, path + ".value", sink));
      }
    } catch (InvalidProtocolBufferException e) {
      sink.add(path, "any.unparsable", "the value does not parse as " + packed.getFullName());
    }
  }

  private void checkRepeated(
      Message message,
      FieldDescriptor field,
      Validate.FieldRules rules,
      String path,
      ProblemSink sink) {
    int count = message.getRepeatedFieldCount(field);
    Validate.RepeatedRules repeated = rules.getRepeated();
    if (!(repeated.getIgnoreEmpty() && count == 0)) {
      if (repeated.hasMinItems() && count < repeated.getMinItems()) {
        sink.add(
            path,
            "pgv.repeated.min_items",
            "needs at least " + repeated.getMinItems() + " items, has " + count);
      }
      if (repeated.hasMaxItems() && count > repeated.getMaxItems()) {
        sink.add(
            path,
            "pgv.repeated.max_items",
            "allows at most " + repeated.getMaxItems() + " items, has " + count);
      }
      if (repeated.getUnique()) {
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
          if (!seen.add(message.getRepeatedField(field, i))) {
            sink.add(path + "[" + i + "]", "pgv.repeated.unique", "items must be unique");
          }
        }
      }
    }
    Validate.FieldRules items = repeated.getItems();
    for (int i = 0; i < count; i++) {
      Object item = message.getRepeatedField(field, i);
      String itemPath = path + "[" + i + "]";
      if (item instanceof Message nested) {
        checkMessageValue(nested, items, itemPath, sink);
      } else {
        ScalarRules.check(item, field, items, itemPath, sink);
      }
    }
  }

  private void checkMap(
      Message message,
      FieldDescriptor field,
      Validate.FieldRules rules,
      String path,
      ProblemSink sink) {
    int count = message.getRepeatedFieldCount(field);
    Validate.MapRules map = rules.getMap();
    if (!(map.getIgnoreEmpty() && count == 0)) {
      if (map.hasMinPairs() && count < map.getMinPairs()) {
        sink.add(
            path,
            "pgv.map.min_pairs",
            "needs at least " + map.getMinPairs() + " pairs, has " + count);
      }
      if (map.hasMaxPairs() && count > map.getMaxPairs()) {
        sink.add(
            path,
            "pgv.map.max_pairs",
            "allows at most " + map.getMaxPairs() + " pairs, has " + count);
      }
    }
    FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
    FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
    for (int i = 0; i < count; i++) {
      Message entry = (Message) message.getRepeatedField(field, i);
      Object key = entry.getField(keyField);
      String entryPath = path + "[" + key + "]";
      ScalarRules.check(key, keyField, map.getKeys(), entryPath, sink);
      Object value = entry.getField(valueField);
      if (value instanceof Message nested) {
        checkMessageValue(nested, map.getValues(), entryPath, sink);
      } else {
        ScalarRules.check(value, valueField, map.getValues(), entryPath, sink);
      }
    }
  }

  private static List<String> oneofFields(OneofDescriptor oneof) {
    return oneof.getFields().stream().map(FieldDescriptor::getJsonName).toList();
  }
}
