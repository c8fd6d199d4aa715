package dev.meshpassthrough.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code validate --output sarif|github|junit}: one schema whatever the number of inputs, with rule
 * ids, lines and columns, parse problems and skipped documents included; compared with golden files
 * after parsing.
 */
class ValidateMachineOutputTest {
  /**
   * A policy with an error and a warning beside a ConfigMap, a valid policy, a file that cannot be
   * read.
   */
  private static final String MIXED = "src/test/resources/dev/meshpassthrough/cli/mixed";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void sarif_matchesTheGoldenFile_andExitsAsText() throws IOException {
    CliRun run = CliRun.of("validate", "--output", "sarif", MIXED);

    Golden.assertJson(run.out(), "validate-mixed.sarif.json");
    assertThat(run.exitCode()).isEqualTo(CliRun.of("validate", MIXED).exitCode()).isEqualTo(2);
  }

  @Test
  void sarif_hasEveryFieldCodeScanningRequires() throws IOException {
    JsonNode log = JSON.readTree(CliRun.of("validate", "--output", "sarif", MIXED).out());

    assertThat(log.path("version").asText()).isEqualTo("2.1.0");
    assertThat(log.path("$schema").asText())
        .startsWith("https://")
        .endsWith("sarif-schema-2.1.0.json");
    assertThat(log.path("runs")).hasSize(1);
    JsonNode driver = log.path("runs").get(0).path("tool").path("driver");
    assertThat(driver.path("name").asText()).isEqualTo("meshpassthrough");
    assertThat(driver.path("version").asText()).isNotEmpty();
    List<String> ruleIds = new ArrayList<>();
    driver
        .path("rules")
        .forEach(
            rule -> {
              ruleIds.add(rule.path("id").asText());
              assertThat(rule.path("shortDescription").path("text").asText()).isNotEmpty();
            });
    JsonNode results = log.path("runs").get(0).path("results");
    assertThat(results).hasSize(4);
    for (JsonNode result : results) {
      assertThat(ruleIds).contains(result.path("ruleId").asText());
      assertThat(ruleIds.get(result.path("ruleIndex").asInt()))
          .isEqualTo(result.path("ruleId").asText());
      assertThat(result.path("level").asText()).isIn("error", "warning", "note");
      assertThat(result.path("message").path("text").asText()).isNotEmpty();
      JsonNode physical = result.path("locations").get(0).path("physicalLocation");
      assertThat(physical.path("artifactLocation").path("uri").asText()).startsWith(MIXED + "/");
      assertThat(physical.path("region").path("startLine").asInt()).isPositive();
      assertThat(physical.path("region").path("startColumn").asInt()).isPositive();
    }
    assertThat(results)
        .extracting(r -> r.path("level").asText())
        .containsExactly("error", "warning", "error", "note");
  }

  @Test
  void sarif_ofOneValidPolicy_isARunWithoutResults() throws IOException {
    JsonNode log =
        JSON.readTree(CliRun.of("validate", "--output", "sarif", MIXED + "/b-valid.yaml").out());

    assertThat(log.path("runs").get(0).path("results")).isEmpty();
    assertThat(log.path("runs").get(0).path("tool").path("driver").path("rules")).isEmpty();
  }

  @Test
  void sarif_encodesTheFileAsAUriReference() {
    assertThat(SarifReport.uri("policies/my policy.yaml")).isEqualTo("policies/my%20policy.yaml");
    assertThat(SarifReport.uri("<stdin>")).isEqualTo("%3Cstdin%3E");
    assertThat(SarifReport.uri("dir\\é.yaml")).isEqualTo("dir/%C3%A9.yaml");
  }

  @Test
  void github_matchesTheGoldenFile() throws IOException {
    CliRun run = CliRun.of("validate", "--output", "github", MIXED);

    Golden.assertLines(run.out(), "validate-mixed.github.txt");
    assertThat(run.exitCode()).isEqualTo(2);
  }

  @Test
  void github_escapesMessagesAndProperties_asTheRunnerParsesThem() {
    assertThat(GithubAnnotations.data("100% a\r\nb: c, d")).isEqualTo("100%25 a%0D%0Ab: c, d");
    assertThat(GithubAnnotations.property("a:b,c%\n")).isEqualTo("a%3Ab%2Cc%25%0A");
  }

  @Test
  void github_escapesAFileNameHoldingTheDelimiters() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("a,b:c.yaml"),
            "type: MeshPassthrough\nname: p\nspec:\n  default:\n"
                + "    appendMatch:\n    - {type: IP, value: 10.0.0.1, port: 0}\n");

    CliRun run = CliRun.of("validate", "--output", "github", file.toString());

    assertThat(run.out())
        .startsWith(
            "::error file="
                + dir.toString().replace(":", "%3A").replace(",", "%2C")
                + "/a%2Cb%3Ac.yaml,line=6,col=");
  }

  @Test
  void junit_matchesTheGoldenFile() throws Exception {
    CliRun run = CliRun.of("validate", "--output", "junit", MIXED);

    Golden.assertXml(run.out(), "validate-mixed.junit.xml");
    assertThat(run.exitCode()).isEqualTo(2);
  }

  @Test
  void junit_hasOneTestCasePerDocument_withAFailureListingTheErrors() throws Exception {
    Document xml = Golden.xml(CliRun.of("validate", "--output", "junit", MIXED).out());

    Element suite = xml.getDocumentElement();
    assertThat(suite.getTagName()).isEqualTo("testsuite");
    assertThat(suite.getAttribute("tests")).isEqualTo("4");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("errors")).isEqualTo("1");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    NodeList cases = suite.getElementsByTagName("testcase");
    assertThat(((Element) cases.item(0)).getAttribute("name"))
        .startsWith("web-egress.kuma-system (");
    Element failure = (Element) ((Element) cases.item(0)).getElementsByTagName("failure").item(0);
    assertThat(failure.getTextContent())
        .contains("[kuma.match.port.range]")
        .doesNotContain("host-bits");
    assertThat(
            ((Element) cases.item(0)).getElementsByTagName("system-out").item(0).getTextContent())
        .contains("host-bits");
  }

  @Test
  void junitAndSarif_areWellFormed_forEveryHostileInput() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("src/test/resources/hostile"))) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> p.toString().matches(".*\\.(yaml|json)"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThan(100);
    for (Path file : files) {
      Document junit =
          Golden.xml(CliRun.of("validate", "--output", "junit", file.toString()).out());
      assertThat(junit.getDocumentElement().getElementsByTagName("testcase").getLength())
          .as(file.toString())
          .isPositive();
      JsonNode sarif =
          JSON.readTree(CliRun.of("validate", "--output", "sarif", file.toString()).out());
      assertThat(sarif.path("version").asText()).as(file.toString()).isEqualTo("2.1.0");
    }
  }

  @Test
  void junit_writesCharactersXmlCannotHold_asEscapes() {
    assertThat(JunitReport.safe("a\u0007b\nc\uFFFEd<&>")).isEqualTo("a\\u0007b\\u000ac\\ufffed<&>");
  }
}
