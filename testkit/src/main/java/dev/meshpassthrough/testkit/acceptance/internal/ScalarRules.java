package dev.meshpassthrough.testkit.acceptance.internal;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import dev.meshpassthrough.core.model.IpLiteral;
import io.envoyproxy.pgv.validate.Validate;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * protoc-gen-validate rules on scalar values: numbers, strings, enums, booleans, bytes, durations.
 */
final class ScalarRules {
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\\.?$");
  private static final Pattern HEADER_NAME_STRICT =
      Pattern.compile("^:?[0-9a-zA-Z!#$%&'*+\\-.^_|~`]+$");
  private static final Pattern HEADER_VALUE_STRICT =
      Pattern.compile("^[^\\u0000-\\u0008\\u000A-\\u001F\\u007F]*$");
  private static final Map<String, String> WRAPPERS =
      Map.of(
          "google.protobuf.UInt32Value",
          "uint32",
          "google.protobuf.UInt64Value",
          "uint64",
          "google.protobuf.Int32Value",
          "int32",
          "google.protobuf.Int64Value",
          "int64",
          "google.protobuf.DoubleValue",
          "double",
          "google.protobuf.FloatValue",
          "float",
          "google.protobuf.BoolValue",
          "bool",
          "google.protobuf.StringValue",
          "string",
          "google.protobuf.BytesValue",
          "bytes");

  private ScalarRules() {}

  static boolean isWrapper(Message message) {
    return WRAPPERS.containsKey(message.getDescriptorForType().getFullName());
  }

  static void check(
      Object value,
      FieldDescriptor field,
      Validate.FieldRules rules,
      String path,
      ProblemSink sink) {
    switch (rules.getTypeCase()) {
      case STRING -> checkString((String) value, rules.getString(), path, sink);
      case ENUM -> checkEnum((EnumValueDescriptor) value, rules.getEnum(), path, sink);
      case BOOL -> {
        if (rules.getBool().hasConst() && rules.getBool().getConst() != (Boolean) value) {
          sink.add(path, "pgv.bool.const", "must be " + rules.getBool().getConst());
        }
      }
      case BYTES -> {
        int length = ((com.google.protobuf.ByteString) value).size();
        Validate.BytesRules bytes = rules.getBytes();
        if (bytes.hasMinLen() && length < bytes.getMinLen()) {
          sink.add(path, "pgv.bytes.min_len", "needs at least " + bytes.getMinLen() + " bytes");
        }
        if (bytes.hasMaxLen() && length > bytes.getMaxLen()) {
          sink.add(path, "pgv.bytes.max_len", "allows at most " + bytes.getMaxLen() + " bytes");
        }
      }
      case TYPE_NOT_SET, REPEATED, MAP, ANY, DURATION, TIMESTAMP -> {}
      default ->
          checkNumber(
              number(value, field),
              (Message)
                  rules.getField(
                      rules
                          .getDescriptorForType()
                          .findFieldByNumber(rules.getTypeCase().getNumber())),
              path,
              sink);
    }
  }

  /** A numeric field's value as a decimal, reading unsigned types as unsigned. */
  private static BigDecimal number(Object value, FieldDescriptor field) {
    return switch (field.getType()) {
      case UINT32, FIXED32 -> BigDecimal.valueOf(Integer.toUnsignedLong((Integer) value));
      case UINT64, FIXED64 -> new BigDecimal(Long.toUnsignedString((Long) value));
      case DOUBLE -> BigDecimal.valueOf((Double) value);
      case FLOAT -> BigDecimal.valueOf((Float) value);
      default -> new BigDecimal(value.toString());
    };
  }

  /**
   * Numeric rules (const, lt, lte, gt, gte, in, not_in), read by name from any numeric rule
   * message.
   */
  private static void checkNumber(BigDecimal value, Message rules, String path, ProblemSink sink) {
    if (boolField(rules, "ignore_empty") && value.signum() == 0) {
      return;
    }
    BigDecimal exact = bound(rules, "const");
    if (exact != null && value.compareTo(exact) != 0) {
      sink.add(path, "pgv.number.const", "must be " + exact + ", is " + value);
    }
    BigDecimal lt = bound(rules, "lt");
    BigDecimal lte = bound(rules, "lte");
    BigDecimal gt = bound(rules, "gt");
    BigDecimal gte = bound(rules, "gte");
    BigDecimal upper = lt != null ? lt : lte;
    BigDecimal lower = gt != null ? gt : gte;
    boolean upperOk =
        upper == null || (lt != null ? value.compareTo(lt) < 0 : value.compareTo(lte) <= 0);
    boolean lowerOk =
        lower == null || (gt != null ? value.compareTo(gt) > 0 : value.compareTo(gte) >= 0);
    boolean exclusiveRange = upper != null && lower != null && upper.compareTo(lower) < 0;
    if (exclusiveRange ? !(upperOk || lowerOk) : !(upperOk && lowerOk)) {
      sink.add(path, "pgv.number.range", value + " is out of range" + range(lt, lte, gt, gte));
    }
    List<BigDecimal> in = list(rules, "in");
    if (!in.isEmpty() && in.stream().noneMatch(v -> v.compareTo(value) == 0)) {
      sink.add(path, "pgv.number.in", value + " is not one of " + in);
    }
    if (list(rules, "not_in").stream().anyMatch(v -> v.compareTo(value) == 0)) {
      sink.add(path, "pgv.number.not_in", value + " is not allowed");
    }
  }

  private static String range(
      @Nullable BigDecimal lt,
      @Nullable BigDecimal lte,
      @Nullable BigDecimal gt,
      @Nullable BigDecimal gte) {
    StringBuilder out = new StringBuilder(" (must be");
    if (gt != null) {
      out.append(" > ").append(gt);
    }
    if (gte != null) {
      out.append(" >= ").append(gte);
    }
    if (lt != null) {
      out.append(" < ").append(lt);
    }
    if (lte != null) {
      out.append(" <= ").append(lte);
    }
    return out.append(')').toString();
  }

  private static @Nullable BigDecimal bound(Message rules, String name) {
    FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
    if (field == null || !rules.hasField(field)) {
      return null;
    }
    return number(rules.getField(field), field);
  }

  private static List<BigDecimal> list(Message rules, String name) {
    FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
    List<BigDecimal> out = new ArrayList<>();
    if (field != null) {
      for (int i = 0; i < rules.getRepeatedFieldCount(field); i++) {
        out.add(number(rules.getRepeatedField(field, i), field));
      }
    }
    return out;
  }

  private static boolean boolField(Message rules, String name) {
    FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
    return field != null && (Boolean) rules.getField(field);
  }

  private static void checkString(
      String value, Validate.StringRules rules, String path, ProblemSink sink) {
    if (rules.getIgnoreEmpty() && value.isEmpty()) {
      return;
    }
    long chars = value.codePointCount(0, value.length());
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (rules.hasConst() && !rules.getConst().equals(value)) {
      sink.add(path, "pgv.string.const", "must be '" + rules.getConst() + "'");
    }
    if (rules.hasLen() && chars != rules.getLen()) {
      sink.add(path, "pgv.string.len", "must be " + rules.getLen() + " characters long");
    }
    if (rules.hasMinLen() && chars < rules.getMinLen()) {
      sink.add(
          path,
          "pgv.string.min_len",
          "needs at least " + rules.getMinLen() + " characters, has " + chars);
    }
    if (rules.hasMaxLen() && chars > rules.getMaxLen()) {
      sink.add(
          path,
          "pgv.string.max_len",
          "allows at most " + rules.getMaxLen() + " characters, has " + chars);
    }
    if (rules.hasMinBytes() && bytes < rules.getMinBytes()) {
      sink.add(path, "pgv.string.min_bytes", "needs at least " + rules.getMinBytes() + " bytes");
    }
    if (rules.hasMaxBytes() && bytes > rules.getMaxBytes()) {
      sink.add(
          path,
          "pgv.string.max_bytes",
          "allows at most " + rules.getMaxBytes() + " bytes, has " + bytes);
    }
    if (rules.hasPattern() && !Pattern.compile(rules.getPattern()).matcher(value).find()) {
      sink.add(path, "pgv.string.pattern", "does not match " + rules.getPattern());
    }
    if (rules.hasPrefix() && !value.startsWith(rules.getPrefix())) {
      sink.add(path, "pgv.string.prefix", "must start with '" + rules.getPrefix() + "'");
    }
    if (rules.hasSuffix() && !value.endsWith(rules.getSuffix())) {
      sink.add(path, "pgv.string.suffix", "must end with '" + rules.getSuffix() + "'");
    }
    if (rules.hasContains() && !value.contains(rules.getContains())) {
      sink.add(path, "pgv.string.contains", "must contain '" + rules.getContains() + "'");
    }
    if (rules.hasNotContains() && value.contains(rules.getNotContains())) {
      sink.add(
          path, "pgv.string.not_contains", "must not contain '" + rules.getNotContains() + "'");
    }
    if (!rules.getInList().isEmpty() && !rules.getInList().contains(value)) {
      sink.add(path, "pgv.string.in", "must be one of " + rules.getInList());
    }
    if (rules.getNotInList().contains(value)) {
      sink.add(path, "pgv.string.not_in", "must not be '" + value + "'");
    }
    checkWellKnown(value, rules, path, sink);
  }

  private static void checkWellKnown(
      String value, Validate.StringRules rules, String path, ProblemSink sink) {
    boolean ok =
        switch (rules.getWellKnownCase()) {
          case HOSTNAME -> HOSTNAME.matcher(value).matches();
          case IP -> IpLiteral.parse(value).isPresent();
          case IPV4 -> IpLiteral.parse(value).isPresent() && value.indexOf(':') < 0;
          case IPV6 -> IpLiteral.parse(value).isPresent() && value.indexOf(':') >= 0;
          case ADDRESS -> IpLiteral.parse(value).isPresent() || HOSTNAME.matcher(value).matches();
          case WELL_KNOWN_REGEX ->
              switch (rules.getWellKnownRegex()) {
                case HTTP_HEADER_NAME ->
                    rules.getStrict()
                        ? HEADER_NAME_STRICT.matcher(value).matches()
                        : noNulCrLf(value);
                case HTTP_HEADER_VALUE ->
                    rules.getStrict()
                        ? HEADER_VALUE_STRICT.matcher(value).matches()
                        : noNulCrLf(value);
                default -> true;
              };
          default -> true;
        };
    if (!ok) {
      sink.add(
          path,
          "pgv.string.well_known",
          "'"
              + value
              + "' is not a valid "
              + rules.getWellKnownCase().name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  private static boolean noNulCrLf(String value) {
    return value.indexOf('\0') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0;
  }

  private static void checkEnum(
      EnumValueDescriptor value, Validate.EnumRules rules, String path, ProblemSink sink) {
    if (rules.getDefinedOnly() && value.getIndex() < 0) {
      sink.add(path, "pgv.enum.defined_only", "value " + value.getNumber() + " is not defined");
    }
    if (rules.hasConst() && value.getNumber() != rules.getConst()) {
      sink.add(path, "pgv.enum.const", "must be " + rules.getConst());
    }
    if (!rules.getInList().isEmpty() && !rules.getInList().contains(value.getNumber())) {
      sink.add(path, "pgv.enum.in", "must be one of " + rules.getInList());
    }
    if (rules.getNotInList().contains(value.getNumber())) {
      sink.add(path, "pgv.enum.not_in", "value " + value.getNumber() + " is not allowed");
    }
  }

  static void checkDuration(
      Duration value, Validate.DurationRules rules, String path, ProblemSink sink) {
    if (rules.hasConst() && Durations.compare(value, rules.getConst()) != 0) {
      sink.add(path, "pgv.duration.const", "must be " + Durations.toString(rules.getConst()));
    }
    boolean ok =
        (!rules.hasLt() || Durations.compare(value, rules.getLt()) < 0)
            && (!rules.hasLte() || Durations.compare(value, rules.getLte()) <= 0)
            && (!rules.hasGt() || Durations.compare(value, rules.getGt()) > 0)
            && (!rules.hasGte() || Durations.compare(value, rules.getGte()) >= 0);
    if (!ok) {
      sink.add(path, "pgv.duration.range", Durations.toString(value) + " is out of range");
    }
  }
}
