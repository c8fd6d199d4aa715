package dev.meshpassthrough.validation.internal;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.DocumentFormat;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MatchType;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every rule over a document and, when none reports an error, builds the typed policy: what
 * {@link PolicyValidator#create(ValidationOptions)}'s package-private implementation delegates to.
 * Not API. Stateless and thread-safe: each call gets its own sink and rule instances.
 */
public final class PolicyRules {
  static final String NAME_REQUIRED = "document.name.required";
  static final String MODE_ENUM = "conf.mode.enum";
  static final String MODE_ALL = "conf.mode.all";
  static final String MATCHES_IGNORED = "conf.append-match.ignored";
  static final String MESH_LABEL = "document.mesh.label-mismatch";

  private final ValidationOptions options;

  /**
   * The rules under the given options.
   *
   * @param options the Kuma line and level
   */
  public PolicyRules(ValidationOptions options) {
    this.options = options;
  }

  /**
   * See {@link PolicyValidator#validateAll(List)}.
   *
   * @param documents the documents read together
   * @return one result per document, in the same order
   */
  public List<ValidationResult> validateAll(List<PolicyDocument> documents) {
    List<ValidationResult> results = new ArrayList<>(documents.size());
    for (PolicyDocument document : documents) {
      results.add(validate(document));
    }
    return DocumentNames.withDuplicates(documents, results);
  }

  /**
   * See {@link PolicyValidator#validate(PolicyDocument)}.
   *
   * @param document the document
   * @return the violations, and the typed policy when there is no error
   */
  public ValidationResult validate(PolicyDocument document) {
    ViolationSink sink = new ViolationSink(options.level());
    checkName(document, sink);
    checkMeshLabel(document, sink);
    Optional<TargetRef> targetRef =
        new TargetRefRules(sink, options.kumaLine()).check(document.spec().targetRef());
    WrittenConf written =
        document.spec().conf().orElse(new WrittenConf(Optional.empty(), Optional.empty()));
    Optional<PassthroughMode> mode = checkMode(written, sink);
    Optional<List<Match>> matches =
        written.appendMatch().map(list -> checkMatches(list, sink, options.kumaLine()));
    mode.ifPresent(m -> warnAboutMode(m, written, sink));
    if (sink.hasErrors() || targetRef.isEmpty()) {
      return new ValidationResult(sink.sorted(), Optional.empty());
    }
    MeshPassthroughPolicy policy =
        new MeshPassthroughPolicy(
            document.metadata(), targetRef.get(), new PassthroughConf(mode, matches));
    return new ValidationResult(sink.sorted(), Optional.of(policy));
  }

  private static void checkName(PolicyDocument document, ViolationSink sink) {
    if (document.format() == DocumentFormat.BARE_SPEC
        || document.name().filter(n -> !n.isEmpty()).isPresent()) {
      return;
    }
    FieldPath path =
        document.format() == DocumentFormat.KUBERNETES
            ? FieldPath.of("metadata", "name")
            : FieldPath.of("name");
    sink.error(path, NAME_REQUIRED, "must be defined");
  }

  /**
   * A Universal policy belongs to the mesh of its {@code mesh} field ({@code default} when absent),
   * which is what the resolver reads; a {@code kuma.io/mesh} label naming another mesh is ignored.
   */
  private static void checkMeshLabel(PolicyDocument document, ViolationSink sink) {
    String label = document.labels().get(PolicyDocument.MESH_LABEL);
    if (document.format() != DocumentFormat.UNIVERSAL
        || label == null
        || label.equals(document.meshName())) {
      return;
    }
    String field =
        document
            .mesh()
            .filter(m -> !m.isEmpty())
            .map(m -> "mesh is '" + m + "'")
            .orElse("mesh is not set, which means '" + PolicyDocument.DEFAULT_MESH + "'");
    sink.warning(
        FieldPath.of("labels", PolicyDocument.MESH_LABEL),
        MESH_LABEL,
        "label "
            + PolicyDocument.MESH_LABEL
            + " is '"
            + label
            + "' but "
            + field
            + ": the mesh field wins, the policy applies to proxies of mesh "
            + document.meshName()
            + " only; make the label agree or drop it");
  }

  private static Optional<PassthroughMode> checkMode(WrittenConf conf, ViolationSink sink) {
    if (conf.passthroughMode().isEmpty()) {
      return Optional.empty();
    }
    Optional<PassthroughMode> mode = PassthroughMode.fromWireName(conf.passthroughMode().get());
    if (mode.isEmpty()) {
      sink.error(
          Paths.MODE,
          MODE_ENUM,
          "\"passthroughMode\" must be one of [\"All\", \"Matched\", \"None\"]");
    }
    return mode;
  }

  private static void warnAboutMode(PassthroughMode mode, WrittenConf conf, ViolationSink sink) {
    if (mode == PassthroughMode.ALL) {
      sink.warning(
          Paths.MODE,
          MODE_ALL,
          "passthroughMode All lets traffic leave the mesh to any destination: "
              + "prefer Matched with the destinations you need");
    }
    if (mode != PassthroughMode.MATCHED
        && conf.appendMatch().filter(l -> !l.isEmpty()).isPresent()) {
      sink.warning(
          Paths.APPEND_MATCH,
          MATCHES_IGNORED,
          "appendMatch is ignored while passthroughMode is "
              + mode.wireName()
              + " (merged with other policies, its entries apply only if a stronger policy sets Matched)");
    }
  }

  private static List<Match> checkMatches(
      List<WrittenMatch> written, ViolationSink sink, KumaLine line) {
    KumaMatchRules kumaRules = new KumaMatchRules(sink, line, written.size());
    MatchRules ownRules = new MatchRules(sink);
    // One path and one parsed value per entry, shared by every rule that asks about it.
    FieldPath[] paths = new FieldPath[written.size()];
    ParsedValue[] values = new ParsedValue[written.size()];
    for (int i = 0; i < written.size(); i++) {
      WrittenMatch match = written.get(i);
      paths[i] = Paths.match(i);
      values[i] = new ParsedValue(match.value().orElse(""));
      kumaRules.check(paths[i], match, values[i]);
      ownRules.check(paths[i], match, values[i]);
    }
    List<Map.Entry<Integer, Match>> valid = new ArrayList<>(written.size());
    for (int i = 0; i < written.size(); i++) {
      if (!sink.hasErrorUnder(paths[i])) {
        valid.add(Map.entry(i, typed(written.get(i), values[i])));
      }
    }
    new CrossMatchRules(sink, line).check(valid);
    new CoverageRules(sink).check(valid);
    return valid.stream().map(Map.Entry::getValue).toList();
  }

  /** The typed entry of a written one that passed every per-entry rule. */
  private static Match typed(WrittenMatch match, ParsedValue value) {
    MatchType type = MatchType.fromWireName(match.type().orElseThrow()).orElseThrow();
    Destination destination =
        switch (type) {
          case IP -> new Destination.Ip(value.ip().orElseThrow());
          case CIDR -> value.cidr().orElseThrow();
          case DOMAIN -> Destination.of(type, match.value().orElseThrow());
        };
    Optional<Port> port = match.port().map(p -> Port.of(p.intValueExact()));
    Protocol protocol =
        Protocol.fromWireName(match.protocol().orElse(Protocol.TCP.wireName())).orElseThrow();
    return new Match(destination, port, protocol);
  }
}
