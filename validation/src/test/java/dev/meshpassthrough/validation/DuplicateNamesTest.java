package dev.meshpassthrough.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A mesh holds one policy of a name (issue 13, defect 4): documents read together that share mesh
 * and core name are an error, rule {@code document.name.duplicate}, at the later one's name.
 */
class DuplicateNamesTest {
  private static final PolicyParser PARSER = PolicyParser.create();
  private static final PolicyValidator VALIDATOR = PolicyValidator.create();
  private static final String BARE = "targetRef: {kind: Mesh}\ndefault: {passthroughMode: None}\n";

  @Test
  void twoBareSpecsInOneFile_areTheSamePolicy() {
    List<ValidationResult> results =
        VALIDATOR.validateAll(read("policies/lock.yaml", BARE + "---\n" + BARE));

    assertThat(results.get(0).isValid()).isTrue();
    assertThat(results.get(1).errors())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.ruleId()).isEqualTo("document.name.duplicate");
              assertThat(v.path()).hasToString("spec");
              assertThat(v.message())
                  .isEqualTo(
                      "policy lock of mesh default is also defined at policies/lock.yaml:1:1 (a bare spec "
                          + "is named after its file, without the extension): a mesh holds one policy of a name");
            });
  }

  @Test
  void aBareSpecAndAUniversalPolicyNamedAfterItsFile_clash() {
    List<PolicyDocument> documents = new ArrayList<>(read("web.yaml", BARE));
    documents.addAll(
        read("other.yaml", "type: MeshPassthrough\nname: web\nspec:\n  targetRef: {kind: Mesh}\n"));

    List<ValidationResult> results = VALIDATOR.validateAll(documents);

    assertThat(results.get(1).errors())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.ruleId()).isEqualTo("document.name.duplicate");
              assertThat(v.path()).hasToString("name");
              assertThat(v.message())
                  .startsWith("policy web of mesh default is also defined at web.yaml:1:1: ");
            });
    assertThat(documents.get(1).locationOf(results.get(1).errors().get(0).path()))
        .hasToString("other.yaml:2:1");
  }

  @Test
  void bareSpecsOfTheSameFileNameInTwoDirectories_clash() {
    List<PolicyDocument> documents = new ArrayList<>(read("a/web.yaml", BARE));
    documents.addAll(read("b/web.yml", BARE));

    assertThat(VALIDATOR.validateAll(documents).get(1).errors())
        .extracting(Violation::ruleId)
        .containsExactly("document.name.duplicate");
  }

  @Test
  void kubernetesPolicies_clashByNameAndNamespace_andOnlyInOneMesh() {
    String kubernetes =
        "apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nmetadata: {name: p, namespace: %s, labels: "
            + "{kuma.io/mesh: %s}}\nspec:\n  targetRef: {kind: Mesh}\n";
    List<PolicyDocument> documents =
        new ArrayList<>(
            read(
                "k.yaml",
                kubernetes.formatted("ns", "default")
                    + "---\n"
                    + kubernetes.formatted("other-ns", "default")
                    + "---\n"
                    + kubernetes.formatted("ns", "mesh-2")
                    + "---\n"
                    + kubernetes.formatted("ns", "default")));

    List<ValidationResult> results = VALIDATOR.validateAll(documents);

    assertThat(results)
        .extracting(ValidationResult::isValid)
        .containsExactly(true, true, true, false);
    assertThat(results.get(3).errors())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).hasToString("metadata.name");
              assertThat(v.message())
                  .startsWith("policy p.ns of mesh default is also defined at k.yaml:1:1");
            });
  }

  @Test
  void aDuplicate_keepsItsOwnViolationsAfterTheDuplicateError() {
    String invalid = "targetRef: {kind: Mesh}\ndefault: {passthroughMode: Sometimes}\n";

    List<ValidationResult> results =
        VALIDATOR.validateAll(read("x.yaml", BARE + "---\n" + invalid));

    assertThat(results.get(1).errors())
        .extracting(Violation::ruleId)
        .containsExactly("document.name.duplicate", "conf.mode.enum");
  }

  @Test
  void oneDocument_isValidatedAsValidateDoes() {
    List<PolicyDocument> documents = read("x.yaml", BARE);

    assertThat(VALIDATOR.validateAll(documents))
        .containsExactly(VALIDATOR.validate(documents.get(0)));
  }

  private static List<PolicyDocument> read(String source, String text) {
    ParseResult parsed = PARSER.parse(text, source);
    assertThat(parsed.problems()).isEmpty();
    return parsed.documents();
  }
}
