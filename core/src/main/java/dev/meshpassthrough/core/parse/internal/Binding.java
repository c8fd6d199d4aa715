package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.internal.FieldLocations;
import dev.meshpassthrough.core.document.internal.FieldLocations.ListLocations;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.internal.Node.Entry;
import dev.meshpassthrough.core.parse.internal.Node.ListNode;
import dev.meshpassthrough.core.parse.internal.Node.MapNode;
import dev.meshpassthrough.core.parse.internal.Node.ScalarKind;
import dev.meshpassthrough.core.parse.internal.Node.ScalarNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What binding one document collects: its problems and the location of every written field, plus
 * the conversions from tree nodes to field values that report what they could not convert. YAML
 * {@code null} reads as absent everywhere. One instance per document; not thread-safe.
 */
final class Binding {
  private static final int QUOTED_TEXT_LIMIT = 40;

  private final List<ParseProblem> problems = new ArrayList<>();
  private final FieldLocations.Builder locations = FieldLocations.builder();

  /**
   * The fields of one kind of map.
   *
   * @param known the fields that are bound, in the order messages list them
   * @param ignored fields accepted and dropped (server-set metadata, read-only fields)
   * @param misplaced fields that belong somewhere else, with where
   */
  record FieldSet(List<String> known, Set<String> ignored, Map<String, String> misplaced) {
    static FieldSet of(String... known) {
      return new FieldSet(List.of(known), Set.of(), Map.of());
    }

    FieldSet ignoring(String... names) {
      return new FieldSet(known, Set.of(names), misplaced);
    }

    FieldSet misplacing(Map<String, String> elsewhere) {
      return new FieldSet(known, ignored, elsewhere);
    }
  }

  List<ParseProblem> problems() {
    return problems;
  }

  /** Where every field was written; call once, when binding is done. */
  FieldLocations locations() {
    return locations.build();
  }

  boolean hasProblems() {
    return !problems.isEmpty();
  }

  void problem(SourceLocation at, FieldPath path, String message) {
    problems.add(new ParseProblem(at, path, message));
  }

  void located(FieldPath path, SourceLocation at) {
    locations.put(path, at);
  }

  /**
   * Takes over the entries of a list bound on their own: their problems, in the order they were
   * found, and their locations; returns the entries that could be read.
   */
  List<WrittenMatch> adopt(BoundMatches list) {
    problems.addAll(list.problems());
    locations.putList(list.locations());
    return list.matches();
  }

  /**
   * The entries of {@code map} that {@code fields} binds, in written order. Records where every
   * accepted field was written and reports unknown fields and repeated keys.
   */
  List<Entry> fields(MapNode map, FieldPath path, FieldSet fields) {
    return fields(map, path, fields, null, 0);
  }

  /**
   * The entries of {@code map}, entry {@code item} of {@code list}, that {@code fields} binds, as
   * {@link #fields(MapNode, FieldPath, FieldSet)} does, recording where they were written in {@code
   * list} (whose field names are {@code fields.known()}) when it is given.
   */
  List<Entry> fields(
      MapNode map, FieldPath path, FieldSet fields, @Nullable ListLocations list, int item) {
    List<Entry> known = new ArrayList<>(map.entries().size());
    for (Entry entry : map.entries()) {
      int name = fields.known().indexOf(entry.key());
      if (name >= 0) {
        if (list != null) {
          list.field(item, name, entry.keyLocation());
        } else {
          located(path.field(entry.key()), entry.keyLocation());
        }
        known.add(entry);
      } else if (fields.ignored().contains(entry.key())) {
        located(path.field(entry.key()), entry.keyLocation());
      } else {
        problem(entry.keyLocation(), path.field(entry.key()), unknownField(entry.key(), fields));
      }
    }
    reportDuplicates(map, path);
    return known;
  }

  /** The entries of a free-form map (labels, tags): every key allowed, repeated keys reported. */
  List<Entry> freeFields(MapNode map, FieldPath path) {
    for (Entry entry : map.entries()) {
      located(path.field(entry.key()), entry.keyLocation());
    }
    reportDuplicates(map, path);
    return map.entries();
  }

  /** The text of a string field; numbers and booleans as written ({@code protocol: 1} is "1"). */
  Optional<String> string(Node node, FieldPath path) {
    if (node instanceof ScalarNode scalar && scalar.kind() != ScalarKind.OTHER) {
      return scalar.isNull() ? Optional.empty() : Optional.of(scalar.text());
    }
    problem(node.location(), path, "expected a string, got " + describe(node));
    return Optional.empty();
  }

  /** An integer port of any size; any other kind of value is a problem. */
  Optional<BigInteger> port(Node node, FieldPath path) {
    if (node instanceof ScalarNode scalar && scalar.isNull()) {
      return Optional.empty();
    }
    if (node instanceof ScalarNode scalar && scalar.integer() != null) {
      return Optional.of(scalar.integer());
    }
    problem(node.location(), path, "expected an integer port, got " + describe(node));
    return Optional.empty();
  }

  /**
   * The text of a scalar as written ({@code 0443}, {@code 0x1bb}; {@code null} for any null), else
   * empty.
   */
  static Optional<String> scalarText(Node node) {
    return node instanceof ScalarNode scalar && scalar.kind() != ScalarKind.OTHER
        ? Optional.of(scalar.text())
        : Optional.empty();
  }

  Optional<MapNode> map(Node node, FieldPath path) {
    if (node instanceof MapNode map) {
      return Optional.of(map);
    }
    if (!(node instanceof ScalarNode scalar && scalar.isNull())) {
      problem(node.location(), path, "expected a map, got " + describe(node));
    }
    return Optional.empty();
  }

  Optional<ListNode> list(Node node, FieldPath path) {
    if (node instanceof ListNode list) {
      return Optional.of(list);
    }
    if (!(node instanceof ScalarNode scalar && scalar.isNull())) {
      problem(node.location(), path, "expected a list, got " + describe(node));
    }
    return Optional.empty();
  }

  /** A map of string to string, as labels and tags are; a null value reads as the empty string. */
  Optional<SortedMap<String, String>> stringMap(Node node, FieldPath path) {
    Optional<MapNode> map = map(node, path);
    if (map.isEmpty()) {
      return Optional.empty();
    }
    SortedMap<String, String> values = new TreeMap<>();
    for (Entry entry : freeFields(map.get(), path)) {
      if (entry.value() instanceof ScalarNode scalar && scalar.kind() != ScalarKind.OTHER) {
        values.put(entry.key(), scalar.isNull() ? "" : scalar.text());
      } else {
        problem(
            entry.value().location(),
            path.field(entry.key()),
            "expected a string value, got " + describe(entry.value()));
      }
    }
    return Optional.of(values);
  }

  /** A list of strings; a null item is a problem. */
  Optional<List<String>> stringList(Node node, FieldPath path) {
    Optional<ListNode> list = list(node, path);
    if (list.isEmpty()) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>(list.get().items().size());
    int index = 0;
    for (Node item : list.get().items()) {
      FieldPath itemPath = path.index(index++);
      located(itemPath, item.location());
      if (item instanceof ScalarNode scalar
          && !scalar.isNull()
          && scalar.kind() != ScalarKind.OTHER) {
        values.add(scalar.text());
      } else {
        problem(item.location(), itemPath, "expected a string, got " + describe(item));
      }
    }
    return Optional.of(values);
  }

  /** How a value reads in a message: {@code a map}, {@code string "80"}, {@code integer 5}. */
  static String describe(Node node) {
    if (node instanceof MapNode) {
      return "a map";
    }
    if (node instanceof ListNode) {
      return "a list";
    }
    ScalarNode scalar = (ScalarNode) node;
    return switch (scalar.kind()) {
      case STRING -> "string " + quote(scalar.text());
      case INTEGER -> "integer " + scalar.text();
      case FLOAT -> "float " + scalar.text();
      case BOOLEAN -> "boolean " + scalar.text();
      case NULL -> "null";
      case OTHER -> "binary data";
    };
  }

  /** {@code text} in double quotes, shortened, escaped as {@link #escape} does. */
  static String quote(String text) {
    String shown =
        text.length() > QUOTED_TEXT_LIMIT ? text.substring(0, QUOTED_TEXT_LIMIT) + "..." : text;
    return '"' + escape(shown) + '"';
  }

  /**
   * {@code text} with quotes, backslashes and control characters escaped, so a message stays one
   * line.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static String unknownField(String key, FieldSet fields) {
    String allowed = "Allowed fields: " + String.join(", ", fields.known());
    if (key.equals("<<")) {
      return "YAML merge keys (<<) are not supported: write the fields out. " + allowed;
    }
    String elsewhere = fields.misplaced().get(key);
    if (elsewhere != null) {
      return "unknown field " + quote(key) + ": it belongs under " + elsewhere + ". " + allowed;
    }
    return FieldSuggestions.closest(key, fields.known())
        .map(
            suggestion ->
                "unknown field " + quote(key) + ": did you mean " + suggestion + "? " + allowed)
        .orElseGet(() -> "unknown field " + quote(key) + ". " + allowed);
  }

  private void reportDuplicates(MapNode map, FieldPath path) {
    if (map.duplicates().isEmpty()) {
      return;
    }
    Map<String, Entry> first = new HashMap<>();
    for (Entry entry : map.entries()) {
      first.put(entry.key(), entry);
    }
    for (Entry duplicate : map.duplicates()) {
      // entries holds the first occurrence of every key, duplicates' keys included.
      SourceLocation earlier = Objects.requireNonNull(first.get(duplicate.key())).keyLocation();
      problem(
          duplicate.keyLocation(),
          path.field(duplicate.key()),
          "duplicate key "
              + quote(duplicate.key())
              + ", first written at line "
              + earlier.line()
              + ", column "
              + earlier.column());
    }
  }
}
