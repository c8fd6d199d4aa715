package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ProtoJsonStream} needs to know about a message type to write it, worked out once per
 * type: its JSON form, and its fields by number with their JSON names and value kinds. Reading them
 * from the descriptors on every message cost more than writing the message (benchmarks/README.md,
 * PrintBenchmark).
 */
final class MessageShape {
  /** How JsonFormat writes a message of the type. */
  enum Form {
    /** An object of its set fields. */
    FIELDS,
    /** {@code @type} and the packed message's fields (or a well-known type's {@code value}). */
    ANY,
    /** The wrapped value itself. */
    WRAPPER,
    /** A string such as {@code 1.500s}. */
    DURATION,
    /** Another google.protobuf type, which has a JSON form of its own: left to JsonFormat. */
    OTHER_WELL_KNOWN
  }

  static final FieldName TYPE_FIELD = new FieldName("@type");
  static final FieldName VALUE_FIELD = new FieldName("value");

  private static final Set<String> WRAPPERS =
      Set.of(
          "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue",
          "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value",
          "google.protobuf.Int32Value",
          "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue",
          "google.protobuf.StringValue",
          "google.protobuf.BytesValue");

  /**
   * A memo of facts derived from immutable descriptors: the same type always gives an equal shape,
   * so sharing it between threads changes no output.
   */
  private static final ConcurrentMap<Descriptor, MessageShape> SHAPES = new ConcurrentHashMap<>();

  /** Field numbers up to this are looked up in an array indexed by number. */
  private static final int DENSE_LIMIT = 1024;

  private final Descriptor type;
  private final Form form;
  private final @Nullable FieldShape @Nullable [] byNumber;
  private final int[] numbers;
  private final FieldShape[] fields;

  private MessageShape(Descriptor type) {
    this.type = type;
    this.form = formOf(type);
    this.fields =
        type.getFields().stream()
            .sorted(Comparator.comparingInt(FieldDescriptor::getNumber))
            .map(FieldShape::new)
            .toArray(FieldShape[]::new);
    this.numbers = Arrays.stream(fields).mapToInt(FieldShape::number).toArray();
    int max = numbers.length == 0 ? 0 : numbers[numbers.length - 1];
    if (max <= DENSE_LIMIT) {
      byNumber = new FieldShape[max + 1];
      for (FieldShape field : fields) {
        byNumber[field.number()] = field;
      }
    } else {
      byNumber = null;
    }
  }

  /** The shape of {@code type}. */
  static MessageShape of(Descriptor type) {
    MessageShape shape = SHAPES.get(type);
    return shape != null ? shape : SHAPES.computeIfAbsent(type, MessageShape::new);
  }

  private static Form formOf(Descriptor type) {
    if (type.equals(Any.getDescriptor())) {
      return Form.ANY;
    } else if (!type.getFile().getPackage().equals("google.protobuf")) {
      return Form.FIELDS;
    } else if (WRAPPERS.contains(type.getFullName())) {
      return Form.WRAPPER;
    } else if (type.equals(Duration.getDescriptor())) {
      return Form.DURATION;
    }
    return Form.OTHER_WELL_KNOWN;
  }

  Descriptor type() {
    return type;
  }

  Form form() {
    return form;
  }

  /** The field of {@code number}, or null when the type has none (an unknown field). */
  @Nullable FieldShape field(int number) {
    if (byNumber != null) {
      return number < byNumber.length ? byNumber[number] : null;
    }
    int index = Arrays.binarySearch(numbers, number);
    return index >= 0 ? fields[index] : null;
  }
}
