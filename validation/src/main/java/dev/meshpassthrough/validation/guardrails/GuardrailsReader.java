package dev.meshpassthrough.validation.guardrails;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.model.HostnameSyntax;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.parse.ParseProblem;
import dev.meshpassthrough.core.parse.internal.FieldSuggestions;
import dev.meshpassthrough.core.parse.internal.Node;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Binds the located tree of a guardrails file to {@link Rules}, collecting every mistake with its
 * line, column and field path: unknown fields (with a near match, or where a name of the issue's
 * prose belongs), repeated keys, wrong types, values out of range.
 */
final class GuardrailsReader {
  static final String KIND = "MeshPassthroughGuardrails";

  private static final List<String> TOP =
      List.of("kind", "modeAll", "networks", "domains", "protocols", "maxEntries", "selection");
  private static final List<String> MODE_ALL = List.of("severity", "allowIn");
  private static final List<String> ALLOW_IN = List.of("meshes", "namespaces", "policies");
  private static final List<String> NETWORKS = List.of("widestPrefix", "forbidden");
  private static final List<String> WIDEST = List.of("ipv4", "ipv6", "severity");
  private static final List<String> DOMAINS = List.of("allowedSuffixes", "requirePort");
  private static final List<String> MAX_ENTRIES = List.of("perPolicy", "perProxy", "severity");
  private static final List<String> SELECTION = List.of("trustedLabels", "severity");
  private static final List<String> LONG_FORM = List.of("value", "severity");

  /** Names the prose uses for fields of the file, and where the file writes them. */
  private static final Map<String, String> PROSE_NAMES =
      Map.of(
          "forbiddenNetworks", "networks.forbidden",
          "allowedDomainSuffixes", "domains.allowedSuffixes",
          "widestPrefix", "networks.widestPrefix",
          "forbidden", "networks.forbidden",
          "allowedSuffixes", "domains.allowedSuffixes",
          "requirePort", "domains.requirePort",
          "trustedLabels", "selection.trustedLabels");

  private final List<ParseProblem> problems = new ArrayList<>();

  /** The problems, in the order of the text. */
  List<ParseProblem> problems() {
    List<ParseProblem> sorted = new ArrayList<>(problems);
    sorted.sort(
        Comparator.comparingInt((ParseProblem p) -> p.location().line())
            .thenComparingInt(p -> p.location().column()));
    return sorted;
  }

  Rules read(Node root) {
    FieldPath at = FieldPath.root();
    Optional<Node.MapNode> top = map(root, at, TOP);
    if (top.isEmpty()) {
      return empty();
    }
    Node.MapNode doc = top.get();
    Node.Entry kind = doc.get("kind");
    if (kind == null) {
      problem(doc.location(), at.field("kind"), "missing field 'kind': write kind: " + KIND);
    } else {
      text(kind.value(), at.field("kind"))
          .filter(k -> !k.equals(KIND))
          .ifPresent(
              k ->
                  problem(
                      kind.value().location(),
                      at.field("kind"),
                      "kind must be " + KIND + ", not '" + k + "'"));
    }
    Optional<Node.MapNode> whole = Optional.of(doc);
    FieldPath networks = at.field("networks");
    Optional<Node.MapNode> network = section(doc, networks, NETWORKS);
    FieldPath domains = at.field("domains");
    Optional<Node.MapNode> domain = section(doc, domains, DOMAINS);
    return new Rules(
        rule(whole, at, "modeAll", this::modeAll),
        rule(network, networks, "widestPrefix", this::widest),
        rule(network, networks, "forbidden", this::forbidden),
        rule(domain, domains, "allowedSuffixes", this::suffixes),
        rule(domain, domains, "requirePort", this::requirePort),
        rule(whole, at, "protocols", this::protocols),
        rule(whole, at, "maxEntries", this::maxEntries),
        rule(whole, at, "selection", this::selection));
  }

  /** A section of the file ({@code networks}, {@code domains}), if written. */
  private Optional<Node.MapNode> section(Node.MapNode doc, FieldPath path, List<String> known) {
    return field(doc, path.lastField()).flatMap(n -> map(n, path, known));
  }

  /** The rule {@code key} of a section, read by {@code read}, if written. */
  private static <T> Optional<T> rule(
      Optional<Node.MapNode> section,
      FieldPath path,
      String key,
      BiFunction<Node, FieldPath, Optional<T>> read) {
    return section.flatMap(map -> field(map, key)).flatMap(n -> read.apply(n, path.field(key)));
  }

  static Rules empty() {
    return new Rules(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private Optional<Rules.ModeAll> modeAll(Node node, FieldPath path) {
    Optional<Node.MapNode> map = map(node, path, MODE_ALL);
    if (map.isEmpty()) {
      return Optional.empty();
    }
    Severity severity = severity(map.get(), path);
    List<String> meshes = List.of();
    List<String> namespaces = List.of();
    List<String> policies = List.of();
    Optional<Node> allowIn = field(map.get(), "allowIn");
    if (allowIn.isPresent()) {
      Optional<Node.MapNode> lists = map(allowIn.get(), path.field("allowIn"), ALLOW_IN);
      if (lists.isPresent()) {
        FieldPath in = path.field("allowIn");
        meshes = texts(field(lists.get(), "meshes"), in.field("meshes"));
        namespaces = texts(field(lists.get(), "namespaces"), in.field("namespaces"));
        policies = texts(field(lists.get(), "policies"), in.field("policies"));
      }
    }
    return Optional.of(new Rules.ModeAll(severity, meshes, namespaces, policies));
  }

  private Optional<Rules.WidestPrefix> widest(Node node, FieldPath path) {
    Optional<Node.MapNode> map = map(node, path, WIDEST);
    if (map.isEmpty()) {
      return Optional.empty();
    }
    Optional<Integer> ipv4 =
        field(map.get(), "ipv4").flatMap(n -> integer(n, path.field("ipv4"), 0, 32));
    Optional<Integer> ipv6 =
        field(map.get(), "ipv6").flatMap(n -> integer(n, path.field("ipv6"), 0, 128));
    return Optional.of(new Rules.WidestPrefix(severity(map.get(), path), ipv4, ipv6));
  }

  private Optional<Rules.Forbidden> forbidden(Node node, FieldPath path) {
    return longForm(node, path)
        .map(
            form -> {
              List<Rules.Written<Block>> networks = new ArrayList<>();
              List<Node> items = list(form.value(), form.path());
              for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                FieldPath itemPath = form.path().index(i);
                text(item, itemPath)
                    .ifPresent(
                        t ->
                            Block.parse(t)
                                .ifPresentOrElse(
                                    block -> networks.add(new Rules.Written<>(t, block)),
                                    () ->
                                        problem(
                                            item.location(),
                                            itemPath,
                                            "'"
                                                + t
                                                + "' is not an IP address or a CIDR such as 169.254.0.0/16")));
              }
              return new Rules.Forbidden(form.severity(), networks);
            });
  }

  private Optional<Rules.AllowedSuffixes> suffixes(Node node, FieldPath path) {
    return longForm(node, path)
        .map(
            form -> {
              List<String> suffixes = new ArrayList<>();
              List<Node> items = list(form.value(), form.path());
              for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                FieldPath itemPath = form.path().index(i);
                text(item, itemPath)
                    .ifPresent(
                        t ->
                            HostnameSyntax.problem(t)
                                .ifPresentOrElse(
                                    why ->
                                        problem(
                                            item.location(),
                                            itemPath,
                                            "'"
                                                + t
                                                + "' is not a domain suffix such as example.com: "
                                                + why),
                                    () -> suffixes.add(t.toLowerCase(Locale.ROOT))));
              }
              return new Rules.AllowedSuffixes(form.severity(), suffixes);
            });
  }

  private Optional<Severity> requirePort(Node node, FieldPath path) {
    return longForm(node, path)
        .flatMap(form -> bool(form.value(), form.path()).filter(b -> b).map(b -> form.severity()));
  }

  private Optional<Rules.Protocols> protocols(Node node, FieldPath path) {
    return longForm(node, path)
        .map(
            form -> {
              Set<Protocol> allowed = new LinkedHashSet<>();
              List<Node> items = list(form.value(), form.path());
              List<String> names =
                  Arrays.stream(Protocol.values()).map(Protocol::wireName).toList();
              for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                FieldPath itemPath = form.path().index(i);
                text(item, itemPath)
                    .ifPresent(
                        t ->
                            Protocol.fromWireName(t)
                                .ifPresentOrElse(
                                    allowed::add,
                                    () ->
                                        problem(
                                            item.location(),
                                            itemPath,
                                            "unknown protocol '"
                                                + t
                                                + "'"
                                                + FieldSuggestions.closest(t, names)
                                                    .map(s -> ": did you mean " + s + "?")
                                                    .orElse("")
                                                + " Allowed: "
                                                + String.join(", ", names))));
              }
              return new Rules.Protocols(form.severity(), allowed);
            });
  }

  private Optional<Rules.MaxEntries> maxEntries(Node node, FieldPath path) {
    Optional<Node.MapNode> map = map(node, path, MAX_ENTRIES);
    if (map.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Rules.MaxEntries(
            severity(map.get(), path),
            field(map.get(), "perPolicy")
                .flatMap(n -> integer(n, path.field("perPolicy"), 0, Integer.MAX_VALUE)),
            field(map.get(), "perProxy")
                .flatMap(n -> integer(n, path.field("perProxy"), 0, Integer.MAX_VALUE))));
  }

  private Optional<Rules.Selection> selection(Node node, FieldPath path) {
    Optional<Node.MapNode> map = map(node, path, SELECTION);
    if (map.isEmpty()) {
      return Optional.empty();
    }
    List<String> trusted = texts(field(map.get(), "trustedLabels"), path.field("trustedLabels"));
    return Optional.of(
        new Rules.Selection(severity(map.get(), path), new LinkedHashSet<>(trusted)));
  }

  /** A rule written as its value, or as {@code {value: ..., severity: ...}}. */
  private record Form(Node value, FieldPath path, Severity severity) {}

  private Optional<Form> longForm(Node node, FieldPath path) {
    if (!(node instanceof Node.MapNode)) {
      return Optional.of(new Form(node, path, Severity.ERROR));
    }
    Optional<Node.MapNode> map = map(node, path, LONG_FORM);
    if (map.isEmpty()) {
      return Optional.empty();
    }
    Node.Entry value = map.get().get("value");
    if (value == null) {
      problem(node.location(), path.field("value"), "missing field 'value'");
      return Optional.empty();
    }
    return Optional.of(new Form(value.value(), path.field("value"), severity(map.get(), path)));
  }

  private Severity severity(Node.MapNode map, FieldPath path) {
    Node.Entry entry = map.get("severity");
    if (entry == null) {
      return Severity.ERROR;
    }
    Optional<String> text = text(entry.value(), path.field("severity"));
    if (text.isEmpty()) {
      return Severity.ERROR;
    }
    return switch (text.get()) {
      case "error" -> Severity.ERROR;
      case "warning" -> Severity.WARNING;
      default -> {
        problem(
            entry.value().location(),
            path.field("severity"),
            "severity must be error or warning, not '" + text.get() + "'");
        yield Severity.ERROR;
      }
    };
  }

  private static Optional<Node> field(Node.MapNode map, String key) {
    return Optional.ofNullable(map.get(key)).map(Node.Entry::value);
  }

  private Optional<Node.MapNode> map(Node node, FieldPath path, List<String> known) {
    if (!(node instanceof Node.MapNode map)) {
      problem(
          node.location(), path, "must be a mapping" + (path.isRoot() ? " of kind " + KIND : ""));
      return Optional.empty();
    }
    Map<String, Node.Entry> first = new HashMap<>();
    for (Node.Entry entry : map.entries()) {
      first.put(entry.key(), entry);
      if (!known.contains(entry.key())) {
        problem(
            entry.keyLocation(), path.field(entry.key()), unknownField(entry.key(), path, known));
      }
    }
    for (Node.Entry duplicate : map.duplicates()) {
      Node.Entry earlier = first.get(duplicate.key());
      problem(
          duplicate.keyLocation(),
          path.field(duplicate.key()),
          "duplicate key '"
              + duplicate.key()
              + "'"
              + (earlier == null
                  ? ""
                  : ", first written at line "
                      + earlier.keyLocation().line()
                      + ", column "
                      + earlier.keyLocation().column()));
    }
    return Optional.of(map);
  }

  private static String unknownField(String key, FieldPath path, List<String> known) {
    String allowed = "Allowed fields: " + String.join(", ", known);
    String prose = PROSE_NAMES.get(key);
    if (prose != null && !prose.equals(path.isRoot() ? key : path + "." + key)) {
      return "unknown field '" + key + "': write it as " + prose + ". " + allowed;
    }
    return FieldSuggestions.closest(key, known)
        .map(s -> "unknown field '" + key + "': did you mean " + s + "? " + allowed)
        .orElseGet(() -> "unknown field '" + key + "'. " + allowed);
  }

  private List<Node> list(Node node, FieldPath path) {
    if (node instanceof Node.ListNode list) {
      return list.items();
    }
    problem(node.location(), path, "must be a list");
    return List.of();
  }

  private List<String> texts(Optional<Node> node, FieldPath path) {
    if (node.isEmpty()) {
      return List.of();
    }
    List<Node> items = list(node.get(), path);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      text(items.get(i), path.index(i)).ifPresent(out::add);
    }
    return out.stream().distinct().collect(Collectors.toList());
  }

  private Optional<String> text(Node node, FieldPath path) {
    if (node instanceof Node.ScalarNode scalar
        && (scalar.kind() == Node.ScalarKind.STRING
            || scalar.kind() == Node.ScalarKind.INTEGER
            || scalar.kind() == Node.ScalarKind.FLOAT)) {
      return Optional.of(scalar.text());
    }
    problem(node.location(), path, "must be a string");
    return Optional.empty();
  }

  private Optional<Boolean> bool(Node node, FieldPath path) {
    if (node instanceof Node.ScalarNode scalar && scalar.kind() == Node.ScalarKind.BOOLEAN) {
      String text = scalar.text().toLowerCase(Locale.ROOT);
      return Optional.of(text.equals("true") || text.equals("yes") || text.equals("on"));
    }
    problem(node.location(), path, "must be true or false");
    return Optional.empty();
  }

  private Optional<Integer> integer(Node node, FieldPath path, int min, int max) {
    if (node instanceof Node.ScalarNode scalar && scalar.kind() == Node.ScalarKind.INTEGER) {
      BigInteger value = scalar.integer();
      if (value != null
          && value.compareTo(BigInteger.valueOf(min)) >= 0
          && value.compareTo(BigInteger.valueOf(max)) <= 0) {
        return Optional.of(value.intValueExact());
      }
      problem(
          node.location(),
          path,
          "must be "
              + (max == Integer.MAX_VALUE ? "at least " + min : "within " + min + "-" + max)
              + ", not "
              + scalar.text());
      return Optional.empty();
    }
    problem(node.location(), path, "must be an integer");
    return Optional.empty();
  }

  private void problem(SourceLocation at, FieldPath path, String message) {
    problems.add(new ParseProblem(at, path, message));
  }
}
