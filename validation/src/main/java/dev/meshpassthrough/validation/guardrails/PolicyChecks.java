package dev.meshpassthrough.validation.guardrails;

import com.google.common.net.InternetDomainName;
import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.model.PolicyMetadata;
import dev.meshpassthrough.core.model.Protocol;
import dev.meshpassthrough.core.model.TargetRef;
import dev.meshpassthrough.core.model.TargetRefKind;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import dev.meshpassthrough.core.resolve.MergedConf;
import dev.meshpassthrough.validation.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;

/** The guardrails on one policy: its mode, each entry, its size and its selection. */
final class PolicyChecks {
  static final String MODE_ALL = "guardrail.mode-all";
  static final String EVERYTHING = "guardrail.network.everything";
  static final String TOO_WIDE = "guardrail.network.too-wide";
  static final String FORBIDDEN = "guardrail.network.forbidden";
  static final String PUBLIC_SUFFIX = "guardrail.domain.public-suffix";
  static final String NOT_ALLOWED = "guardrail.domain.not-allowed";
  static final String PORT_REQUIRED = "guardrail.domain.port-required";
  static final String PROTOCOL = "guardrail.protocol.not-allowed";
  static final String PER_POLICY = "guardrail.entries.per-policy";
  static final String PER_PROXY = "guardrail.entries.per-proxy";
  static final String SELECTION = "guardrail.selection.untrusted-labels";

  static final FieldPath APPEND_MATCH = FieldPath.of("spec", "default", "appendMatch");

  private final Rules rules;
  private final List<Violation> out = new ArrayList<>();

  private PolicyChecks(Rules rules) {
    this.rules = rules;
  }

  static List<Violation> check(Rules rules, MeshPassthroughPolicy policy) {
    PolicyChecks checks = new PolicyChecks(rules);
    checks.mode(policy);
    List<Match> matches = policy.conf().matches();
    for (int i = 0; i < matches.size(); i++) {
      checks.entry(APPEND_MATCH.index(i), matches.get(i));
    }
    checks.combined(policy);
    rules
        .maxEntries()
        .ifPresent(
            max ->
                max.perPolicy()
                    .filter(limit -> matches.size() > limit)
                    .ifPresent(
                        limit ->
                            checks.add(
                                APPEND_MATCH.index(limit),
                                PER_POLICY,
                                max.severity(),
                                "the policy has "
                                    + matches.size()
                                    + " appendMatch entries, more than the "
                                    + limit
                                    + " the guardrails allow per policy")));
    untrusted(rules, policy.targetRef())
        .ifPresent(
            labels ->
                checks.add(
                    FieldPath.of(
                        "spec",
                        "targetRef",
                        policy.targetRef().kind() == TargetRefKind.MESH_SUBSET ? "tags" : "labels"),
                    SELECTION,
                    rules.selection().orElseThrow().severity(),
                    "the policy selects proxies only through "
                        + (policy.targetRef().kind() == TargetRefKind.MESH_SUBSET
                            ? "inbound tags"
                            : "labels")
                        + " that are not trusted ("
                        + String.join(", ", labels.keySet())
                        + "): a service owner who sets them receives passthrough; trusted labels: "
                        + trusted(rules)));
    checks.out.sort(Comparator.comparing(Violation::path));
    return List.copyOf(checks.out);
  }

  /**
   * The selector of a targetRef that selects proxies only through labels (a Dataplane's {@code
   * labels}) or inbound tags (a MeshSubset's {@code tags}) outside the trusted ones; empty for any
   * other targetRef: the whole mesh, every proxy (an empty selector), a Dataplane by name, or a
   * selector with at least one trusted label, which the operator controls.
   */
  static Optional<SortedMap<String, String>> untrusted(Rules rules, TargetRef targetRef) {
    Optional<SortedMap<String, String>> selector =
        switch (targetRef.kind()) {
          case MESH -> Optional.empty();
          case DATAPLANE -> targetRef.name().isPresent() ? Optional.empty() : targetRef.labels();
          case MESH_SUBSET -> targetRef.tags();
        };
    List<String> trusted =
        rules.selection().map(s -> List.copyOf(s.trustedLabels())).orElse(List.of());
    return selector.filter(
        labels -> !labels.isEmpty() && labels.keySet().stream().noneMatch(trusted::contains));
  }

  private static String trusted(Rules rules) {
    List<String> trusted =
        rules.selection().map(s -> s.trustedLabels().stream().sorted().toList()).orElse(List.of());
    return trusted.isEmpty() ? "none" : String.join(", ", trusted);
  }

  private void mode(MeshPassthroughPolicy policy) {
    if (policy.conf().passthroughMode().orElse(PassthroughMode.MATCHED) != PassthroughMode.ALL
        || rules.modeAll().isEmpty()) {
      return;
    }
    Rules.ModeAll rule = rules.modeAll().get();
    PolicyMetadata metadata = policy.metadata();
    boolean allowed =
        rule.meshes().contains(metadata.mesh())
            || metadata.namespace().filter(rule.namespaces()::contains).isPresent()
            || rule.policies().contains(metadata.name())
            || rule.policies().contains(metadata.displayName());
    if (allowed) {
      return;
    }
    boolean none =
        rule.meshes().isEmpty() && rule.namespaces().isEmpty() && rule.policies().isEmpty();
    add(
        FieldPath.of("spec", "default", "passthroughMode"),
        MODE_ALL,
        rule.severity(),
        none
            ? "passthroughMode All lets every destination out of the mesh; the guardrails forbid it"
            : "passthroughMode All lets every destination out of the mesh; the guardrails allow it only "
                + allowIn(rule)
                + ", and this policy ("
                + metadata.name()
                + ", mesh "
                + metadata.mesh()
                + metadata.namespace().map(n -> ", namespace " + n).orElse("")
                + ") is in none of them");
  }

  private static String allowIn(Rules.ModeAll rule) {
    List<String> parts = new ArrayList<>();
    if (!rule.meshes().isEmpty()) {
      parts.add("in meshes " + String.join(", ", rule.meshes()));
    }
    if (!rule.namespaces().isEmpty()) {
      parts.add("in namespaces " + String.join(", ", rule.namespaces()));
    }
    if (!rule.policies().isEmpty()) {
      parts.add("for policies " + String.join(", ", rule.policies()));
    }
    return String.join("; ", parts);
  }

  private void entry(FieldPath at, Match match) {
    Destination destination = match.destination();
    Block.of(destination).ifPresent(block -> network(at, destination, block));
    if (destination instanceof Destination.WildcardDomain wildcard) {
      publicSuffix(wildcard)
          .ifPresent(
              suffix ->
                  add(
                      at.field("value"),
                      PUBLIC_SUFFIX,
                      Severity.ERROR,
                      "'"
                          + wildcard.value()
                          + "' matches every name under '"
                          + suffix
                          + "', "
                          + (InternetDomainName.from(suffix).isRegistrySuffix()
                              ? "a public suffix (ICANN section of the Public Suffix List)"
                              : "a suffix of the Public Suffix List's private section")
                          + ", where anyone can register a name; the guardrails never allow it"));
    }
    if (destination.matchType() == dev.meshpassthrough.core.model.MatchType.DOMAIN) {
      domain(at, match);
    }
    rules
        .protocols()
        .filter(p -> !p.allowed().contains(match.protocol()))
        .ifPresent(
            p ->
                add(
                    at.field("protocol"),
                    PROTOCOL,
                    p.severity(),
                    "protocol "
                        + match.protocol().wireName()
                        + " is not allowed by the guardrails; allowed: "
                        + Arrays.stream(Protocol.values())
                            .filter(p.allowed()::contains)
                            .map(Protocol::wireName)
                            .collect(Collectors.joining(", "))));
  }

  /** The public suffix a wildcard's parent is, on Guava's list (ICANN and private sections). */
  static Optional<String> publicSuffix(Destination.WildcardDomain wildcard) {
    String parent = wildcard.parent().toLowerCase(Locale.ROOT);
    if (parent.endsWith(".")) {
      parent = parent.substring(0, parent.length() - 1);
    }
    if (!InternetDomainName.isValid(parent)) {
      return Optional.empty();
    }
    return InternetDomainName.from(parent).isPublicSuffix()
        ? Optional.of(parent)
        : Optional.empty();
  }

  private void network(FieldPath at, Destination destination, Block block) {
    FieldPath value = at.field("value");
    if (block.isEverything()) {
      add(
          value,
          EVERYTHING,
          Severity.ERROR,
          "'"
              + destination.value()
              + "' is every "
              + familyName(block.family())
              + " address; the guardrails never allow it");
    } else {
      rules
          .widestPrefix()
          .ifPresent(
              rule ->
                  rule.of(block.family())
                      .filter(limit -> block.prefix() < limit)
                      .ifPresent(
                          limit ->
                              add(
                                  value,
                                  TOO_WIDE,
                                  rule.severity(),
                                  "'"
                                      + destination.value()
                                      + "' is a /"
                                      + block.prefix()
                                      + ", wider than /"
                                      + limit
                                      + ", the widest "
                                      + familyName(block.family())
                                      + " prefix the guardrails allow")));
    }
    rules
        .forbidden()
        .ifPresent(
            rule -> {
              List<String> hit =
                  rule.networks().stream()
                      .filter(n -> n.value().overlaps(block))
                      .map(Rules.Written::text)
                      .toList();
              if (!hit.isEmpty()) {
                add(
                    value,
                    FORBIDDEN,
                    rule.severity(),
                    "'"
                        + destination.value()
                        + "' overlaps the forbidden "
                        + (hit.size() == 1 ? "network " : "networks ")
                        + String.join(", ", hit));
              }
            });
  }

  private void domain(FieldPath at, Match match) {
    String name =
        match.destination() instanceof Destination.WildcardDomain w
            ? w.parent().toLowerCase(Locale.ROOT)
            : match.destination().value().toLowerCase(Locale.ROOT);
    rules
        .allowedSuffixes()
        .filter(
            rule ->
                rule.suffixes().stream().noneMatch(s -> name.equals(s) || name.endsWith("." + s)))
        .ifPresent(
            rule ->
                add(
                    at.field("value"),
                    NOT_ALLOWED,
                    rule.severity(),
                    "'"
                        + match.destination().value()
                        + "' is under none of the domain suffixes the guardrails allow: "
                        + String.join(", ", rule.suffixes())));
    if (match.port().isEmpty()) {
      rules
          .requirePort()
          .ifPresent(
              severity ->
                  add(
                      at.field("port"),
                      PORT_REQUIRED,
                      severity,
                      "Domain entry '"
                          + match.destination().value()
                          + "' has no port, so it matches on every port; the guardrails require one"));
    }
  }

  /** Entries of this policy that reach, only together, a network too wide. */
  private void combined(MeshPassthroughPolicy policy) {
    List<AttributedMatch> entries =
        MergedConf.of(policy.metadata().name(), policy.conf()).entries();
    for (NetworkCover.Finding finding : NetworkCover.combined(entries, rules.widestPrefix())) {
      AttributedMatch first = finding.entries().get(0);
      add(
          APPEND_MATCH.index(first.index()),
          finding.block().isEverything() ? EVERYTHING : TOO_WIDE,
          finding.block().isEverything()
              ? Severity.ERROR
              : rules.widestPrefix().orElseThrow().severity(),
          coverMessage(finding, e -> "appendMatch[" + e.index() + "] (" + e.match() + ")", rules));
    }
  }

  /** What a cover finding says, naming each entry as {@code name} renders it. */
  static String coverMessage(
      NetworkCover.Finding finding,
      java.util.function.Function<AttributedMatch, String> name,
      Rules rules) {
    Block block = finding.block();
    String entries = finding.entries().stream().map(name).collect(Collectors.joining(", "));
    String on = finding.port().map(p -> " on port " + p).orElse(" on every port");
    if (block.isEverything()) {
      return "entries "
          + entries
          + " together reach every "
          + familyName(block.family())
          + " address"
          + on
          + " ("
          + block
          + "); the guardrails never allow it";
    }
    int limit = rules.widestPrefix().flatMap(w -> w.of(block.family())).orElseThrow();
    return "entries "
        + entries
        + " together reach "
        + block
        + on
        + ", wider than /"
        + limit
        + ", the widest "
        + familyName(block.family())
        + " prefix the guardrails allow";
  }

  static String familyName(IpFamily family) {
    return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
  }

  private void add(FieldPath path, String ruleId, Severity severity, String message) {
    out.add(new Violation(path, ruleId, message, severity));
  }
}
