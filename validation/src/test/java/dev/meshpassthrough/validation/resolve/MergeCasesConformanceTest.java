package dev.meshpassthrough.validation.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.TargetRefKind;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.PolicyResolver;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.core.resolve.Resolution;
import dev.meshpassthrough.core.resolve.ResolutionProblem;
import dev.meshpassthrough.validation.PolicyValidator;
import dev.meshpassthrough.validation.ValidationOptions;
import dev.meshpassthrough.validation.ValidationResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of the spec's {@code merge-cases.yaml} for every profile it lists, through the
 * whole road of a policy: {@link PolicyParser}, {@link PolicyValidator} for the profile's Kuma line
 * (strict, as Kuma's admission), then {@link PolicyResolver}; the proxy is read through {@link
 * ProxyFile}. The one exception to "every document is valid for its profile" is the stored legacy
 * MeshSubset of case 37, which Kuma 3.x would reject today: it is read with the Kuma 2.x rules that
 * admitted it.
 */
class MergeCasesConformanceTest {
  private static final PolicyParser PARSER = PolicyParser.create();
  private static final PolicyResolver RESOLVER = PolicyResolver.create();
  private static final String LEGACY_CASE = "37-v3-stored-legacy-kind-is-skipped";

  /** The one case whose v3 expectation Kuma's newer main line (conformance/kuma3) changed. */
  private static final String SUPERSEDED_BY_KUMA3 = "34-cross-policy-port-protocol-conflict";

  static Stream<Arguments> casesAndProfiles() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode kase : MergeCases.all()) {
      kase.path("profiles")
          .forEach(profile -> out.add(Arguments.of(kase.path("id").asText(), profile.asText())));
    }
    return out.stream();
  }

  @Test
  void theFileHolds37CasesWithDistinctIds() {
    List<JsonNode> cases = MergeCases.all();
    assertThat(cases).hasSize(37);
    assertThat(new HashSet<>(cases.stream().map(c -> c.path("id").asText()).toList())).hasSize(37);
    assertThat(casesAndProfiles())
        .hasSize(cases.stream().mapToInt(c -> c.path("profiles").size()).sum());
  }

  @ParameterizedTest(name = "{0} [{1}]")
  @MethodSource("casesAndProfiles")
  void caseResolvesAsExpected(String id, String profile) {
    JsonNode kase = MergeCases.byId(id);
    KumaLine line = KumaLine.parse(profile);
    List<MeshPassthroughPolicy> policies = new ArrayList<>();
    int index = 0;
    for (JsonNode node : kase.path("policies")) {
      policies.add(typed(MergeCases.text(node), id + "/policies[" + index++ + "]", line, id));
    }
    ProxyFile proxy = ProxyFile.parse(MergeCases.proxyFile(kase), id + "/proxy.yaml", line);

    Resolution resolution = RESOLVER.resolve(policies, proxy.proxy(), proxy.context());

    JsonNode expected = kase.path("expected");
    List<String> applied = new ArrayList<>();
    expected.path("applied").forEach(n -> applied.add(n.asText()));
    assertThat(resolution.appliedNames()).as("applied, weakest first").isEqualTo(applied);
    assertThat(tree(resolution.merged().map(m -> m.conf())))
        .as("merged")
        .isEqualTo(expected.path("merged"));
    assertThat(tree(resolution.effective())).as("effective").isEqualTo(expected.path("effective"));
    if (line == KumaLine.V3 && id.equals(SUPERSEDED_BY_KUMA3)) {
      // The spec predates Kuma 3.x's FindConflicts (conformance/kuma3, order case
      // conflicting-protocols-on-the-same-port): 3.x keeps the first entry of the chain and drops
      // the later one with a warning instead of failing the proxy. Kuma's data wins.
      assertThat(resolution.outcome().kind()).isEqualTo(Outcome.Kind.ALLOW_MATCHED_ONLY);
      assertThat(resolution.outcome().problems()).isEmpty();
      assertThat(kumasWarnings(resolution.warnings()))
          .containsExactly(
              "policy b-grpc: Kuma 3.x drops appendMatch[0] (Domain api.example.com:8080/grpc):"
                  + " protocols http and grpc produce the same filter chain for domains on port"
                  + " 8080");
      return;
    }
    assertThat(resolution.outcome().kind().wireName())
        .as("outcome: " + resolution.outcome().reason())
        .isEqualTo(expected.path("outcome").asText());
    if (expected.has("translationError")) {
      assertThat(resolution.outcome().problems())
          .extracting(ResolutionProblem::message)
          .anySatisfy(m -> assertThat(m).contains(expected.path("translationError").asText()));
      assertThat(resolution.outcome().problems())
          .allSatisfy(p -> assertThat(p.policies()).hasSizeGreaterThan(1));
    }
    List<String> warnings = new ArrayList<>();
    expected.path("warnings").forEach(n -> warnings.add(n.asText()));
    assertThat(kumasWarnings(resolution.warnings())).as("warnings").isEqualTo(warnings);
  }

  /**
   * The warnings in their text, without {@code resolve.mode.name-order}: the spec's cases list what
   * Kuma warns about, and several of them are ties that only the name order decides on purpose.
   * That one is tested in core's {@code ModeNameOrderTest}.
   */
  static List<String> kumasWarnings(List<Problem> warnings) {
    return warnings.stream()
        .filter(w -> !w.ruleId().equals("resolve.mode.name-order"))
        .map(Resolution::warningText)
        .toList();
  }

  @Test
  void theLegacyFallbackIsNeededByCase37Only() {
    JsonNode kase = MergeCases.byId(LEGACY_CASE);
    PolicyDocument legacy = only(MergeCases.text(kase.path("policies").get(0)), "legacy.yaml");

    ValidationResult v3 =
        PolicyValidator.create(new ValidationOptions(KumaLine.V3)).validate(legacy);

    assertThat(v3.isValid()).isFalse();
    assertThat(v3.errors())
        .extracting(v -> v.ruleId())
        .containsOnly("kuma.target-ref.kind.supported");
  }

  /**
   * Parses and validates one policy for {@code line}; case 37's stored legacy kind under the 2.x
   * rules.
   */
  private static MeshPassthroughPolicy typed(String text, String source, KumaLine line, String id) {
    PolicyDocument document = only(text, source);
    KumaLine version = line == KumaLine.V2 ? KumaLine.V2 : KumaLine.V3;
    ValidationResult result =
        PolicyValidator.create(new ValidationOptions(version)).validate(document);
    if (!result.isValid() && id.equals(LEGACY_CASE) && line == KumaLine.V3) {
      result = PolicyValidator.create(new ValidationOptions(KumaLine.V2)).validate(document);
      assertThat(result.orElseThrow().targetRef().kind()).isEqualTo(TargetRefKind.MESH_SUBSET);
    }
    assertThat(result.errors()).as(source + " is valid for " + line).isEmpty();
    return result.orElseThrow();
  }

  private static PolicyDocument only(String text, String source) {
    ParseResult parsed = PARSER.parse(text, source);
    assertThat(parsed.problems()).as(source).isEmpty();
    assertThat(parsed.documents()).hasSize(1);
    return parsed.documents().get(0);
  }

  /** A conf as merge-cases.yaml writes it: absent fields left out, null for no conf. */
  private static JsonNode tree(Optional<PassthroughConf> conf) {
    if (conf.isEmpty()) {
      return NullNode.getInstance();
    }
    ObjectNode out = MergeCases.YAML.createObjectNode();
    conf.get().passthroughMode().ifPresent(m -> out.put("passthroughMode", m.wireName()));
    conf.get()
        .appendMatch()
        .ifPresent(
            list -> {
              ArrayNode entries = out.putArray("appendMatch");
              for (Match match : list) {
                ObjectNode entry = entries.addObject();
                entry.put("type", match.type().wireName());
                entry.put("value", match.destination().value());
                match.port().ifPresent(p -> entry.put("port", p.value()));
                entry.put("protocol", match.protocol().wireName());
              }
            });
    return out;
  }
}
