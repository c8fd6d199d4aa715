package dev.meshpassthrough.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mixed manifests: a {@code ConfigMap} beside the policy is skipped with a note by {@link
 * OtherKinds#SKIP} in a multi-document input or a directory, and stays a problem otherwise.
 */
class OtherKindsTest {
  private static final PolicyParser SKIPPING =
      PolicyParser.create(ParseLimits.defaults(), OtherKinds.SKIP);
  private static final String POLICY =
      "apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nmetadata: {name: p}\n"
          + "spec:\n  default: {passthroughMode: None}\n";
  private static final String CONFIG_MAP =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n";

  @TempDir Path dir;

  @Test
  void configMapBesideThePolicy_isSkippedWithANoteAtItsKind() {
    ParseResult result = SKIPPING.parse(POLICY + "---\n" + CONFIG_MAP, "mixed.yaml");

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents()).hasSize(1);
    assertThat(result.notes())
        .singleElement()
        .satisfies(
            note -> {
              assertThat(note.location()).hasToString("mixed.yaml:8:7");
              assertThat(note.path().isRoot()).isTrue();
              assertThat(note.message())
                  .isEqualTo("skipped: kind ConfigMap is not MeshPassthrough");
            });
  }

  @Test
  void aProxyFileInTheDirectory_isSkippedWithANote_butNamedAloneIsAProblem() throws Exception {
    String proxy =
        "dataplane: {name: web, address: 10.0.0.5}\nmesh: {name: default}\nexisting: {listeners: []}\n";
    java.nio.file.Files.writeString(dir.resolve("policy.yaml"), POLICY);
    java.nio.file.Files.writeString(dir.resolve("proxy.yaml"), proxy);

    ParseResult inDirectory = SKIPPING.parse(dir);
    ParseResult named = SKIPPING.parse(proxy, "proxy.yaml");

    assertThat(inDirectory.problems()).isEmpty();
    assertThat(inDirectory.documents()).hasSize(1);
    assertThat(inDirectory.notes())
        .singleElement()
        .satisfies(
            note ->
                assertThat(note.message())
                    .isEqualTo(
                        "skipped: a proxy file (dataplane, proxy, existing, context), not a MeshPassthrough policy"));
    assertThat(named.problems()).isNotEmpty();
    assertThat(PolicyParser.create().parse(dir).problems())
        .as("REJECT keeps it a problem")
        .isNotEmpty();
  }

  @Test
  void aMapWithDataplaneAndAPolicyField_isNoProxyFile() {
    ParseResult result =
        SKIPPING.parse(
            "dataplane: {name: web}\nspec: {default: {passthroughMode: All}}\n---\n" + POLICY,
            "x.yaml");

    assertThat(result.problems()).isNotEmpty();
    assertThat(result.notes()).isEmpty();
  }

  @Test
  void universalResourceOfAnotherType_isSkippedToo() {
    ParseResult result =
        SKIPPING.parse(
            "type: MeshPassthrough\nname: p\nspec: {default: {passthroughMode: All}}\n---\n"
                + "type: MeshTimeout\nname: t\nspec: {}\n",
            "u.yaml");

    assertThat(result.problems()).isEmpty();
    assertThat(result.notes())
        .extracting(ParseProblem::message)
        .containsExactly("skipped: type MeshTimeout is not MeshPassthrough");
  }

  @Test
  void byDefault_otherKindsAreProblems_asBefore() {
    ParseResult result = PolicyParser.create().parse(POLICY + "---\n" + CONFIG_MAP, "mixed.yaml");

    assertThat(result.notes()).isEmpty();
    assertThat(result.problems())
        .extracting(ParseProblem::message)
        .containsExactly("unsupported kind ConfigMap: only MeshPassthrough is read");
  }

  @Test
  void aLoneDocumentOfAnotherKind_namedDirectly_staysAProblem() {
    ParseResult result = SKIPPING.parse(CONFIG_MAP, "cm.yaml");

    assertThat(result.notes()).isEmpty();
    assertThat(result.problems())
        .extracting(ParseProblem::message)
        .containsExactly("unsupported kind ConfigMap: only MeshPassthrough is read");
  }

  @Test
  void aFileOfOnlyOtherKinds_namedDirectly_saysNoPolicyWasFound() {
    ParseResult result = SKIPPING.parse(CONFIG_MAP + "---\n" + CONFIG_MAP, "cm.yaml");

    assertThat(result.notes()).hasSize(2);
    assertThat(result.problems())
        .extracting(ParseProblem::message)
        .containsExactly("no MeshPassthrough document found (2 documents of other kinds skipped)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"meshpassthrough", "MeshPasthrough", "MeshPassthroughs"})
  void nearMissesOfTheKind_areTyposAndStayProblems(String kind) {
    ParseResult result =
        SKIPPING.parse(POLICY + "---\n" + CONFIG_MAP.replace("ConfigMap", kind), "typo.yaml");

    assertThat(result.notes()).isEmpty();
    assertThat(result.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("unsupported kind"));
  }

  @Test
  void aKindThatIsNotAString_staysAProblem() {
    ParseResult result = SKIPPING.parse(POLICY + "---\nkind: 42\n", "n.yaml");

    assertThat(result.notes()).isEmpty();
    assertThat(result.problems()).hasSize(1);
  }

  @Test
  void aDirectoryFileHoldingOnlyAConfigMap_isSkipped_andTheOtherFilesRead() throws IOException {
    Files.writeString(dir.resolve("a-policy.yaml"), POLICY);
    Files.writeString(dir.resolve("b-config.yaml"), CONFIG_MAP);

    ParseResult result = SKIPPING.parse(dir);

    assertThat(result.problems()).isEmpty();
    assertThat(result.documents()).hasSize(1);
    assertThat(result.notes())
        .singleElement()
        .satisfies(
            note ->
                assertThat(note.location().source())
                    .isEqualTo(dir.resolve("b-config.yaml").toString()));
  }

  @Test
  void aDirectoryOfOnlyOtherKinds_isAProblemCountingWhatWasSkipped() throws IOException {
    Files.writeString(dir.resolve("config.yaml"), CONFIG_MAP);

    ParseResult result = SKIPPING.parse(dir);

    assertThat(result.notes()).hasSize(1);
    assertThat(result.problems())
        .extracting(ParseProblem::message)
        .containsExactly("no MeshPassthrough document found in this directory (1 skipped)");
  }
}
