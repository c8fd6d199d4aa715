package dev.meshpassthrough.core.parse;

import static dev.meshpassthrough.core.parse.Parsing.at;
import static dev.meshpassthrough.core.parse.Parsing.onlyDocument;
import static dev.meshpassthrough.core.parse.Parsing.onlyProblem;
import static dev.meshpassthrough.core.parse.Parsing.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.DocumentFormat;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.WrittenSpec;
import dev.meshpassthrough.core.document.WrittenTargetRef;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DocumentShapesTest {

  @Test
  void kubernetesResource_isReadWithMetadataAndSpec() {
    PolicyDocument document =
        onlyDocument(
            """
        apiVersion: kuma.io/v1alpha1
        kind: MeshPassthrough
        metadata:
          name: allow-github
          namespace: kuma-system
          labels:
            kuma.io/mesh: demo
            kuma.io/origin: zone
        spec:
          targetRef:
            kind: Dataplane
            labels:
              app: ci-runner
          default:
            passthroughMode: Matched
            appendMatch:
              - type: Domain
                value: github.com
                port: 443
                protocol: tls
        """);

    assertThat(document.format()).isEqualTo(DocumentFormat.KUBERNETES);
    assertThat(document.name()).contains("allow-github");
    assertThat(document.namespace()).contains("kuma-system");
    assertThat(document.mesh()).isEmpty();
    assertThat(document.labels())
        .containsExactly(Map.entry("kuma.io/mesh", "demo"), Map.entry("kuma.io/origin", "zone"));
    assertThat(document.coreName()).isEqualTo("allow-github.kuma-system");
    assertThat(document.meshName()).isEqualTo("demo");
    WrittenTargetRef targetRef = document.spec().targetRef().orElseThrow();
    assertThat(targetRef.kind()).contains("Dataplane");
    assertThat(targetRef.labels().orElseThrow()).containsExactly(Map.entry("app", "ci-runner"));
    WrittenConf conf = document.spec().conf().orElseThrow();
    assertThat(conf.passthroughMode()).contains("Matched");
    assertThat(conf.appendMatch().orElseThrow())
        .containsExactly(
            new WrittenMatch(
                Optional.of("Domain"),
                Optional.of("github.com"),
                Optional.of(BigInteger.valueOf(443)),
                Optional.of("tls")));
  }

  @Test
  void kubernetesResource_acceptsServerSetFieldsStatusAndAnnotations() {
    PolicyDocument document =
        onlyDocument(
            """
        apiVersion: kuma.io/v1alpha1
        kind: MeshPassthrough
        metadata:
          name: mp
          annotations: {kubectl.kubernetes.io/last-applied-configuration: "{}"}
          uid: 5f1b2c3d
          resourceVersion: "4711"
          generation: 3
          creationTimestamp: "2025-01-01T00:00:00Z"
          managedFields: [{manager: kubectl, operation: Apply}]
          finalizers: [kuma.io/finalizer]
          ownerReferences: []
          deletionTimestamp: null
          generateName: mp-
        status: {conditions: []}
        """);

    assertThat(document.name()).contains("mp");
    assertThat(document.spec()).isEqualTo(new WrittenSpec(Optional.empty(), Optional.empty()));
  }

  @Test
  void universalResource_isReadAndIgnoresReadOnlyFields() {
    PolicyDocument document =
        onlyDocument(
            """
        type: MeshPassthrough
        name: allow-github
        mesh: payments
        labels:
          team: platform
        kri: kri_mp_payments_zone-1__allow-github_
        creationTime: "2025-01-01T00:00:00Z"
        modificationTime: "2025-01-02T00:00:00Z"
        spec:
          default:
            passthroughMode: All
        """);

    assertThat(document.format()).isEqualTo(DocumentFormat.UNIVERSAL);
    assertThat(document.name()).contains("allow-github");
    assertThat(document.mesh()).contains("payments");
    assertThat(document.namespace()).isEmpty();
    assertThat(document.labels()).containsExactly(Map.entry("team", "platform"));
    assertThat(document.metadata().mesh()).isEqualTo("payments");
    assertThat(document.spec().conf().orElseThrow().passthroughMode()).contains("All");
  }

  @Test
  void bareSpec_isReadWithPathsRootedAtSpec() {
    PolicyDocument document =
        onlyDocument(
            """
        targetRef:
          kind: Mesh
        default:
          appendMatch:
          - type: IP
            value: 10.0.0.1
        """);

    assertThat(document.format()).isEqualTo(DocumentFormat.BARE_SPEC);
    assertThat(document.name()).isEmpty();
    assertThat(document.coreName())
        .as("named after its file, without the extension")
        .isEqualTo("test");
    assertThat(document.spec().targetRef()).contains(WrittenTargetRef.ofKind("Mesh"));
    assertThat(document.locations())
        .containsEntry(FieldPath.of("spec"), loc(1, 1))
        .containsEntry(FieldPath.of("spec", "targetRef", "kind"), loc(2, 3))
        .containsEntry(
            FieldPath.of("spec", "default", "appendMatch").index(0).field("value"), loc(6, 5));
  }

  @Test
  void bareSpecWithOnlyDefault_isABareSpec() {
    PolicyDocument document = onlyDocument("default: {passthroughMode: None}\n");

    assertThat(document.format()).isEqualTo(DocumentFormat.BARE_SPEC);
    assertThat(document.spec().targetRef()).isEmpty();
    assertThat(document.spec().conf().orElseThrow().passthroughMode()).contains("None");
  }

  @Test
  void absentOrNullSpec_isAnEmptySpec() {
    WrittenSpec empty = new WrittenSpec(Optional.empty(), Optional.empty());

    assertThat(onlyDocument("type: MeshPassthrough\nname: a\n").spec()).isEqualTo(empty);
    assertThat(onlyDocument("type: MeshPassthrough\nname: a\nspec:\n").spec()).isEqualTo(empty);
    assertThat(
            onlyDocument(
                    "apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nmetadata: {name: a}\nspec: {}\n")
                .spec())
        .isEqualTo(empty);
  }

  @Test
  void multiDocumentYaml_yieldsEveryDocumentInOrder() {
    ParseResult result =
        parse(
            """
        type: MeshPassthrough
        name: first
        ---
        # an empty document is skipped
        ---
        apiVersion: kuma.io/v1alpha1
        kind: MeshPassthrough
        metadata: {name: second}
        ---
        targetRef: {kind: Mesh}
        ...
        """);

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents())
        .extracting(PolicyDocument::format)
        .containsExactly(
            DocumentFormat.UNIVERSAL, DocumentFormat.KUBERNETES, DocumentFormat.BARE_SPEC);
    assertThat(result.documents().get(1).location()).isEqualTo(loc(6, 1));
  }

  @Test
  void json_isReadIncludingTabsAndSeveralRootValues() {
    ParseResult result =
        parse(
            "{\"type\":\t\"MeshPassthrough\", \"name\": \"j\",\n"
                + "\t\"spec\": {\"default\": {\"appendMatch\": [{\"type\": \"IP\", \"value\": \"1.2.3.4\", \"port\": 80}]}}}\n"
                + "{\"targetRef\": {\"kind\": \"Mesh\"}}\n");

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents()).hasSize(2);
    PolicyDocument universal = result.documents().get(0);
    assertThat(universal.name()).contains("j");
    assertThat(universal.spec().conf().orElseThrow().appendMatch().orElseThrow())
        .extracting(WrittenMatch::port)
        .containsExactly(Optional.of(BigInteger.valueOf(80)));
    assertThat(universal.locations())
        .containsEntry(FieldPath.of("spec", "default", "appendMatch").index(0), loc(2, 39));
    assertThat(result.documents().get(1).format()).isEqualTo(DocumentFormat.BARE_SPEC);
  }

  @Test
  void yamlFlowMappingThatIsNotJson_isReadAsYaml() {
    PolicyDocument document =
        onlyDocument("{targetRef: {kind: Mesh}, default: {passthroughMode: All}}");

    assertThat(document.spec().conf().orElseThrow().passthroughMode()).contains("All");
  }

  @Test
  void locations_holdEveryWrittenFieldAndListItem() {
    PolicyDocument document =
        onlyDocument(
            """
        apiVersion: kuma.io/v1alpha1
        kind: MeshPassthrough
        metadata:
          name: mp
          labels: {a: b}
        spec:
          targetRef:
            kind: Mesh
            proxyTypes: [Sidecar]
          default:
            appendMatch:
              - type: IP
                value: 1.1.1.1
              -   type: CIDR
                  port: 80
        """);

    FieldPath matches = FieldPath.of("spec", "default", "appendMatch");
    assertThat(document.location()).isEqualTo(loc(1, 1));
    assertThat(document.locations())
        .containsEntry(FieldPath.of("kind"), loc(2, 1))
        .containsEntry(FieldPath.of("metadata", "name"), loc(4, 3))
        .containsEntry(FieldPath.of("metadata", "labels", "a"), loc(5, 12))
        .containsEntry(FieldPath.of("spec"), loc(6, 1))
        .containsEntry(FieldPath.of("spec", "targetRef", "proxyTypes").index(0), loc(9, 18))
        .containsEntry(matches, loc(11, 5))
        .containsEntry(matches.index(0), loc(12, 9))
        .containsEntry(matches.index(1), loc(14, 11))
        .containsEntry(matches.index(1).field("port"), loc(15, 11));
    assertThat(document.locationOf(matches.index(1).field("value"))).isEqualTo(loc(14, 11));
  }

  @Test
  void conformanceCorpusUniversalPolicy_isRead() throws Exception {
    String text =
        new String(
            getClass()
                .getResourceAsStream("/conformance/kuma/translate/basic/policy.yaml")
                .readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);

    PolicyDocument document = onlyDocument(text);

    List<WrittenMatch> matches = document.spec().conf().orElseThrow().appendMatch().orElseThrow();
    assertThat(matches).hasSize(11);
    assertThat(matches.get(2).value()).contains("*.example.com");
    assertThat(matches.get(9).value()).contains("b6e5:a45e:70ae:e77f:d24e:5023:375d:20a6");
    assertThat(matches.get(9).port()).isEmpty();
  }

  @Test
  void mapOfNoKnownShape_isAProblemSayingWhatWasExpected() {
    String message = at(onlyProblem("foo: 1\nbar: 2\n"), 1, 1, "");

    assertThat(message)
        .contains("not a MeshPassthrough document")
        .contains("apiVersion, kind, metadata, spec")
        .contains("type, name, mesh, spec")
        .contains("targetRef, default")
        .contains("found fields \"foo\", \"bar\"");
  }

  @Test
  void scalarOrListDocument_isAProblem() {
    assertThat(at(onlyProblem("just some words\n"), 1, 1, ""))
        .isEqualTo("expected a MeshPassthrough document (a map), got string \"just some words\"");
    assertThat(at(onlyProblem("- a\n- b\n"), 1, 1, "")).endsWith("got a list");
  }

  private static SourceLocation loc(int line, int column) {
    return new SourceLocation(Parsing.SOURCE, line, column);
  }
}
