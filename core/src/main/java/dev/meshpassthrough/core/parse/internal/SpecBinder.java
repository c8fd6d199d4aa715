package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.WrittenSpec;
import dev.meshpassthrough.core.document.WrittenTargetRef;
import dev.meshpassthrough.core.parse.internal.Binding.FieldSet;
import dev.meshpassthrough.core.parse.internal.Node.Entry;
import dev.meshpassthrough.core.parse.internal.Node.ListNode;
import dev.meshpassthrough.core.parse.internal.Node.MapNode;
import java.math.BigInteger;
import java.util.ArrayList;
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
  static final WrittenSpec EMPTY = new WrittenSpec(Optional.empty(), Optional.empty());

  static final FieldSet SPEC_FIELDS =
      FieldSet.of("targetRef", "default")
          .misplacing(Map.of("passthroughMode", "spec.default", "appendMatch", "spec.default"));
  private static final FieldSet TARGET_REF_FIELDS =
      FieldSet.of(
          "kind", "labels", "name", "namespace", "sectionName", "tags", "proxyTypes", "mesh");
  private static final FieldSet CONF_FIELDS = FieldSet.of("passthroughMode", "appendMatch");
  private static final FieldSet MATCH_FIELDS = FieldSet.of("type", "value", "port", "protocol");

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

  private List<WrittenMatch> matches(ListNode list, FieldPath path) {
    List<WrittenMatch> matches = new ArrayList<>(list.items().size());
    int index = 0;
    for (Node item : list.items()) {
      FieldPath itemPath = path.index(index++);
      binding.located(itemPath, item.location());
      if (item instanceof MapNode map) {
        matches.add(match(map, itemPath));
      } else {
        binding.problem(
            item.location(),
            itemPath,
            "expected a match (a map of type, value, port and protocol), got "
                + Binding.describe(item));
      }
    }
    return matches;
  }

  private WrittenMatch match(MapNode map, FieldPath path) {
    Optional<String> type = Optional.empty();
    Optional<String> value = Optional.empty();
    Optional<BigInteger> port = Optional.empty();
    Optional<String> protocol = Optional.empty();
    Optional<String> portText = Optional.empty();
    for (Entry entry : binding.fields(map, path, MATCH_FIELDS)) {
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
