package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.WrittenSpec;
import dev.meshpassthrough.core.document.WrittenTargetRef;
import dev.meshpassthrough.core.document.internal.FieldLocations.ListLocations;
import dev.meshpassthrough.core.parse.internal.Binding.FieldSet;
import dev.meshpassthrough.core.parse.internal.Node.Entry;
import dev.meshpassthrough.core.parse.internal.Node.ListNode;
import dev.meshpassthrough.core.parse.internal.Node.MapNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Binds {@code spec} and everything below it into the as-written records. Paths are rooted at
 * {@code spec} whatever the document shape, as Kuma reports them.
 */
final class SpecBinder {
  static final FieldPath SPEC = FieldPath.of("spec");

  /** Where every {@code appendMatch} list is bound, whatever the document's shape. */
  static final FieldPath APPEND_MATCH = SPEC.field("default").field("appendMatch");

  static final WrittenSpec EMPTY = new WrittenSpec(Optional.empty(), Optional.empty());

  static final FieldSet SPEC_FIELDS =
      FieldSet.of("targetRef", "default")
          .misplacing(Map.of("passthroughMode", "spec.default", "appendMatch", "spec.default"));
  private static final FieldSet TARGET_REF_FIELDS =
      FieldSet.of(
          "kind", "labels", "name", "namespace", "sectionName", "tags", "proxyTypes", "mesh");
  private static final FieldSet CONF_FIELDS = FieldSet.of("passthroughMode", "appendMatch");
  static final FieldSet MATCH_FIELDS = FieldSet.of("type", "value", "port", "protocol");

  private final Binding binding;

  SpecBinder(Binding binding) {
    this.binding = binding;
  }

  /** The spec written at {@code node}; null or absent reads as an empty spec. */
  WrittenSpec spec(Node node) {
    return binding.map(node, SPEC).map(this::spec).orElse(EMPTY);
  }

  /** The spec held by {@code map}, which is either {@code spec} or a whole bare-spec document. */
  WrittenSpec spec(MapNode map) {
    Optional<WrittenTargetRef> targetRef = Optional.empty();
    Optional<WrittenConf> conf = Optional.empty();
    for (Entry entry : binding.fields(map, SPEC, SPEC_FIELDS)) {
      FieldPath path = SPEC.field(entry.key());
      if (entry.key().equals("targetRef")) {
        targetRef = binding.map(entry.value(), path).map(ref -> targetRef(ref, path));
      } else {
        conf = binding.map(entry.value(), path).map(written -> conf(written, path));
      }
    }
    return new WrittenSpec(targetRef, conf);
  }

  private WrittenTargetRef targetRef(MapNode map, FieldPath path) {
    Optional<String> kind = Optional.empty();
    Optional<SortedMap<String, String>> labels = Optional.empty();
    Optional<String> name = Optional.empty();
    Optional<String> namespace = Optional.empty();
    Optional<String> sectionName = Optional.empty();
    Optional<SortedMap<String, String>> tags = Optional.empty();
    Optional<List<String>> proxyTypes = Optional.empty();
    Optional<String> mesh = Optional.empty();
    for (Entry entry : binding.fields(map, path, TARGET_REF_FIELDS)) {
      FieldPath field = path.field(entry.key());
      Node value = entry.value();
      switch (entry.key()) {
        case "kind" -> kind = binding.string(value, field);
        case "labels" -> labels = binding.stringMap(value, field);
        case "name" -> name = binding.string(value, field);
        case "namespace" -> namespace = binding.string(value, field);
        case "sectionName" -> sectionName = binding.string(value, field);
        case "tags" -> tags = binding.stringMap(value, field);
        case "proxyTypes" -> proxyTypes = binding.stringList(value, field);
        case "mesh" -> mesh = binding.string(value, field);
        default -> throw new IllegalStateException("unhandled targetRef field " + entry.key());
      }
    }
    return new WrittenTargetRef(kind, labels, name, namespace, sectionName, tags, proxyTypes, mesh);
  }

  private WrittenConf conf(MapNode map, FieldPath path) {
    Optional<String> mode = Optional.empty();
    Optional<List<WrittenMatch>> matches = Optional.empty();
    for (Entry entry : binding.fields(map, path, CONF_FIELDS)) {
      FieldPath field = path.field(entry.key());
      if (entry.key().equals("passthroughMode")) {
        mode = binding.string(entry.value(), field);
      } else {
        matches = binding.list(entry.value(), field).map(list -> matches(list, field));
      }
    }
    return new WrittenConf(mode, matches);
  }

  /** The entries of the list, bound as the reader read them or now. */
  private List<WrittenMatch> matches(ListNode list, FieldPath path) {
    if (!path.equals(APPEND_MATCH)) {
      throw new IllegalStateException("appendMatch bound at " + path);
    }
    return binding.adopt(list.bound().orElseGet(() -> BoundMatches.of(list)));
  }

  /** Entry {@code index} of an {@code appendMatch} list, its locations recorded in {@code list}. */
  WrittenMatch match(MapNode map, FieldPath path, ListLocations list, int index) {
    Optional<String> type = Optional.empty();
    Optional<String> value = Optional.empty();
    Optional<BigInteger> port = Optional.empty();
    Optional<String> protocol = Optional.empty();
    Optional<String> portText = Optional.empty();
    for (Entry entry : binding.fields(map, path, MATCH_FIELDS, list, index)) {
      FieldPath field = path.field(entry.key());
      switch (entry.key()) {
        case "type" -> type = binding.string(entry.value(), field);
        case "value" -> value = binding.string(entry.value(), field);
        case "port" -> {
          port = binding.port(entry.value(), field);
          portText = Binding.scalarText(entry.value());
        }
        case "protocol" -> protocol = binding.string(entry.value(), field);
        default -> throw new IllegalStateException("unhandled appendMatch field " + entry.key());
      }
    }
    return new WrittenMatch(type, value, port, protocol, portText);
  }
}
