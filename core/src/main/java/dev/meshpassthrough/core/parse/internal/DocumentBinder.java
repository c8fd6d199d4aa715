package dev.meshpassthrough.core.parse.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.DocumentFormat;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.document.WrittenSpec;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.internal.Binding.FieldSet;
import dev.meshpassthrough.core.parse.internal.Node.Entry;
import dev.meshpassthrough.core.parse.internal.Node.MapNode;
import dev.meshpassthrough.core.parse.internal.Node.ScalarNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Recognises the shape of one document (Kubernetes, Universal or a bare spec) and binds its
 * metadata, handing the spec to {@link SpecBinder}. A document with any problem yields only its
 * problems, so that what comes back as a document was read completely.
 */
final class DocumentBinder {
  static final String API_VERSION = "kuma.io/v1alpha1";
  static final String KIND = "MeshPassthrough";

  private static final FieldSet KUBERNETES_FIELDS =
      FieldSet.of("apiVersion", "kind", "metadata", "spec")
          .ignoring("status")
          .misplacing(
              Map.of(
                  "name",
                  "metadata",
                  "namespace",
                  "metadata",
                  "labels",
                  "metadata",
                  "targetRef",
                  "spec",
                  "default",
                  "spec"));
  private static final FieldSet METADATA_FIELDS =
      FieldSet.of("name", "namespace", "labels", "annotations")
          .ignoring(
              "uid",
              "resourceVersion",
              "generation",
              "creationTimestamp",
              "managedFields",
              "finalizers",
              "ownerReferences",
              "deletionTimestamp",
              "deletionGracePeriodSeconds",
              "generateName",
              "selfLink");
  private static final FieldSet UNIVERSAL_FIELDS =
      FieldSet.of("type", "name", "mesh", "labels", "spec")
          .ignoring("kri", "creationTime", "modificationTime")
          .misplacing(Map.of("targetRef", "spec", "default", "spec"));

  private static final Comparator<ParseProblem> IN_TEXT_ORDER =
      Comparator.comparingInt((ParseProblem problem) -> problem.location().line())
          .thenComparingInt(problem -> problem.location().column());

  /**
   * What binding one document gave: the document when it was read cleanly, else its problems.
   *
   * @param document the document, when it was read without problems
   * @param problems the problems, in text order
   * @param otherKind for a resource of another kind (a {@code ConfigMap}), the note that skips it;
   *     its one problem is then in {@code problems}, and the caller picks one of the two
   */
  /** The top-level fields of a proxy file. */
  private static final java.util.Set<String> PROXY_FILE_FIELDS =
      java.util.Set.of("dataplane", "proxy", "mesh", "existing", "context");

  record Outcome(
      Optional<PolicyDocument> document,
      List<ParseProblem> problems,
      Optional<ParseProblem> otherKind) {
    static final Outcome EMPTY = new Outcome(Optional.empty(), List.of(), Optional.empty());
  }

  /** Whether {@code root} is an empty document (null), which binds to nothing. */
  static boolean isEmptyDocument(Node root) {
    return root instanceof ScalarNode scalar && scalar.isNull();
  }

  /** Binds the document whose root is {@code root}; an empty (null) document yields nothing. */
  Outcome bind(Node root) {
    if (isEmptyDocument(root)) {
      return Outcome.EMPTY;
    }
    Binding binding = new Binding();
    Optional<PolicyDocument> document = Optional.empty();
    if (root instanceof MapNode map) {
      document =
          switch (shape(map)) {
            case KUBERNETES -> kubernetes(map, binding);
            case UNIVERSAL -> universal(map, binding);
            case BARE_SPEC -> bareSpec(map, binding);
            case UNKNOWN -> unknownShape(map, binding);
          };
    } else {
      binding.problem(
          root.location(),
          FieldPath.root(),
          "expected a MeshPassthrough document (a map), got " + Binding.describe(root));
    }
    if (binding.hasProblems()) {
      List<ParseProblem> problems = new ArrayList<>(binding.problems());
      problems.sort(IN_TEXT_ORDER);
      Optional<ParseProblem> otherKind =
          root instanceof MapNode map ? otherKind(map) : Optional.empty();
      return new Outcome(Optional.empty(), List.copyOf(problems), otherKind);
    }
    return new Outcome(document, List.of(), Optional.empty());
  }

  /**
   * The note that skips a resource of another kind: a Kubernetes {@code kind} or a Universal {@code
   * type} written as a string that is neither {@value #KIND} nor a near miss of it (a typo is a
   * problem, never skipped). Empty for anything else, a missing or non-string kind included.
   */
  private static Optional<ParseProblem> otherKind(MapNode map) {
    if (isProxyFile(map)) {
      return Optional.of(
          new ParseProblem(
              map.location(),
              FieldPath.root(),
              "skipped: a proxy file (dataplane, proxy, existing, context), not a "
                  + KIND
                  + " policy"));
    }
    String field =
        switch (shape(map)) {
          case KUBERNETES -> "kind";
          case UNIVERSAL -> "type";
          default -> "";
        };
    Entry entry = field.isEmpty() ? null : map.get(field);
    if (entry == null
        || !(entry.value() instanceof ScalarNode scalar)
        || scalar.kind() != Node.ScalarKind.STRING) {
      return Optional.empty();
    }
    String kind = scalar.text();
    if (kind.equals(KIND) || FieldSuggestions.closest(kind, List.of(KIND)).isPresent()) {
      return Optional.empty();
    }
    // At the root: the message names the field, and the note is about the whole document.
    return Optional.of(
        new ParseProblem(
            scalar.location(),
            FieldPath.root(),
            "skipped: " + field + " " + Binding.escape(kind) + " is not " + KIND));
  }

  /**
   * Whether the map is a proxy file ({@code examples/proxy.yaml}, given with {@code --proxy}): it
   * has a {@code dataplane} and no field outside the proxy-file schema's top level, so it can be no
   * policy of any shape.
   */
  private static boolean isProxyFile(MapNode map) {
    if (!has(map, "dataplane")) {
      return false;
    }
    for (Entry entry : map.entries()) {
      if (!PROXY_FILE_FIELDS.contains(entry.key())) {
        return false;
      }
    }
    return true;
  }

  private enum Shape {
    KUBERNETES,
    UNIVERSAL,
    BARE_SPEC,
    UNKNOWN
  }

  private static Shape shape(MapNode map) {
    if (has(map, "apiVersion") || has(map, "kind") || has(map, "metadata")) {
      return Shape.KUBERNETES;
    }
    if (has(map, "type") || has(map, "mesh") || has(map, "name")) {
      return Shape.UNIVERSAL;
    }
    if (has(map, "targetRef") || has(map, "default")) {
      return Shape.BARE_SPEC;
    }
    return Shape.UNKNOWN;
  }

  private static boolean has(MapNode map, String key) {
    return map.get(key) != null;
  }

  private Optional<PolicyDocument> kubernetes(MapNode map, Binding binding) {
    // Kind first: for another kind of resource one problem says it all.
    if (!fixedValue(map, "kind", KIND, binding)
        || !fixedValue(map, "apiVersion", API_VERSION, binding)) {
      return Optional.empty();
    }
    Metadata metadata = Metadata.NONE;
    WrittenSpec spec = SpecBinder.EMPTY;
    for (Entry entry : binding.fields(map, FieldPath.root(), KUBERNETES_FIELDS)) {
      FieldPath path = FieldPath.of(entry.key());
      switch (entry.key()) {
        case "metadata" ->
            metadata =
                binding
                    .map(entry.value(), path)
                    .map(written -> metadata(written, path, binding))
                    .orElse(Metadata.NONE);
        case "spec" -> spec = new SpecBinder(binding).spec(entry.value());
        default -> {} // apiVersion and kind were checked above
      }
    }
    Metadata read = metadata;
    WrittenSpec readSpec = spec;
    return unlessProblems(
        binding,
        () ->
            new PolicyDocument(
                DocumentFormat.KUBERNETES,
                map.location(),
                read.name(),
                read.namespace(),
                Optional.empty(),
                read.labels(),
                readSpec,
                binding.locations()));
  }

  /** {@code metadata} of a Kubernetes resource, the parts that are read. */
  private record Metadata(
      Optional<String> name, Optional<String> namespace, SortedMap<String, String> labels) {
    static final Metadata NONE = new Metadata(Optional.empty(), Optional.empty(), new TreeMap<>());
  }

  private static Metadata metadata(MapNode map, FieldPath path, Binding binding) {
    Optional<String> name = Optional.empty();
    Optional<String> namespace = Optional.empty();
    SortedMap<String, String> labels = new TreeMap<>();
    for (Entry field : binding.fields(map, path, METADATA_FIELDS)) {
      FieldPath fieldPath = path.field(field.key());
      switch (field.key()) {
        case "name" -> name = binding.string(field.value(), fieldPath);
        case "namespace" -> namespace = binding.string(field.value(), fieldPath);
        case "labels" ->
            labels = binding.stringMap(field.value(), fieldPath).orElseGet(TreeMap::new);
        default -> {} // annotations: accepted, not read
      }
    }
    return new Metadata(name, namespace, labels);
  }

  private Optional<PolicyDocument> universal(MapNode map, Binding binding) {
    if (!fixedValue(map, "type", KIND, binding)) {
      return Optional.empty();
    }
    Optional<String> name = Optional.empty();
    Optional<String> mesh = Optional.empty();
    SortedMap<String, String> labels = new TreeMap<>();
    WrittenSpec spec = SpecBinder.EMPTY;
    for (Entry entry : binding.fields(map, FieldPath.root(), UNIVERSAL_FIELDS)) {
      FieldPath path = FieldPath.of(entry.key());
      switch (entry.key()) {
        case "name" -> name = binding.string(entry.value(), path);
        case "mesh" -> mesh = binding.string(entry.value(), path);
        case "labels" -> labels = binding.stringMap(entry.value(), path).orElseGet(TreeMap::new);
        case "spec" -> spec = new SpecBinder(binding).spec(entry.value());
        default -> {} // type was checked above
      }
    }
    Optional<String> readName = name;
    Optional<String> readMesh = mesh;
    SortedMap<String, String> readLabels = labels;
    WrittenSpec readSpec = spec;
    return unlessProblems(
        binding,
        () ->
            new PolicyDocument(
                DocumentFormat.UNIVERSAL,
                map.location(),
                readName,
                Optional.empty(),
                readMesh,
                readLabels,
                readSpec,
                binding.locations()));
  }

  private Optional<PolicyDocument> bareSpec(MapNode map, Binding binding) {
    binding.located(SpecBinder.SPEC, map.location());
    WrittenSpec spec = new SpecBinder(binding).spec(map);
    return unlessProblems(
        binding,
        () ->
            new PolicyDocument(
                DocumentFormat.BARE_SPEC,
                map.location(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                new TreeMap<>(),
                spec,
                binding.locations()));
  }

  /** The document, built only when binding found no problem (building copies every location). */
  private static Optional<PolicyDocument> unlessProblems(
      Binding binding, Supplier<PolicyDocument> build) {
    return binding.hasProblems() ? Optional.empty() : Optional.of(build.get());
  }

  private Optional<PolicyDocument> unknownShape(MapNode map, Binding binding) {
    List<String> keys = new ArrayList<>();
    for (Entry entry : map.entries()) {
      keys.add(Binding.quote(entry.key()));
    }
    String found =
        keys.isEmpty() ? "found an empty map" : "found fields " + String.join(", ", keys);
    binding.problem(
        map.location(),
        FieldPath.root(),
        "not a MeshPassthrough document: expected a Kubernetes resource"
            + " (apiVersion, kind, metadata, spec), a Universal resource (type, name, mesh, spec) or a bare spec"
            + " (targetRef, default); "
            + found);
    return Optional.empty();
  }

  /**
   * Whether {@code field} holds {@code expected}; reports a missing field or another value. The
   * check is exact: Kuma matches kinds and versions case-sensitively.
   */
  private static boolean fixedValue(MapNode map, String field, String expected, Binding binding) {
    Entry entry = map.get(field);
    FieldPath path = FieldPath.of(field);
    if (entry == null || entry.value() instanceof ScalarNode scalar && scalar.isNull()) {
      SourceLocation at = entry == null ? map.location() : entry.keyLocation();
      binding.problem(at, path, "missing " + field + ": expected " + expected);
      return false;
    }
    Optional<String> written = binding.string(entry.value(), path);
    if (written.isEmpty()) {
      return false;
    }
    if (written.get().equals(expected)) {
      return true;
    }
    String message =
        field.equals("apiVersion")
            ? "unsupported apiVersion " + Binding.quote(written.get()) + ": expected " + expected
            : "unsupported "
                + field
                + " "
                + Binding.escape(written.get())
                + ": only "
                + expected
                + " is read";
    binding.problem(entry.value().location(), path, message);
    return false;
  }
}
