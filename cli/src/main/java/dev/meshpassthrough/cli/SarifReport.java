package dev.meshpassthrough.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpassthrough.core.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Writes a {@link ValidationReport} as SARIF 2.1.0, the format code-scanning tools read: one run
 * whose driver is {@code meshpassthrough} with the rules it used, and one result per violation,
 * parse problem and note, in the report's order. The field path is the result's logical location
 * and its {@code fieldPath} property.
 */
final class SarifReport {
  /** The SARIF version written. */
  static final String VERSION = "2.1.0";

  /** The JSON schema of that version, as OASIS publishes it. */
  static final String SCHEMA =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SarifReport() {}

  /**
   * The SARIF log of {@code report}, ending in a newline; {@code toolVersion} is the driver's
   * version.
   */
  static String write(ValidationReport report, String toolVersion) {
    List<ValidationReport.Finding> findings = report.findings();
    List<String> rules =
        new ArrayList<>(
            new TreeSet<>(findings.stream().map(ValidationReport.Finding::ruleId).toList()));
    ObjectNode driver =
        NODES
            .objectNode()
            .put("name", "meshpassthrough")
            .put("version", toolVersion)
            .put("informationUri", "https://kuma.io/docs/latest/policies/meshpassthrough/");
    ArrayNode ruleNodes = driver.putArray("rules");
    for (String rule : rules) {
      ruleNodes
          .addObject()
          .put("id", rule)
          .putObject("shortDescription")
          .put("text", RuleText.describe(rule));
    }
    ObjectNode run = NODES.objectNode();
    run.putObject("tool").set("driver", driver);
    ArrayNode results = run.putArray("results");
    for (ValidationReport.Finding finding : findings) {
      results.add(result(finding, rules.indexOf(finding.ruleId())));
    }
    ObjectNode log = NODES.objectNode().put("$schema", SCHEMA).put("version", VERSION);
    log.putArray("runs").add(run);
    try {
      return JSON.writeValueAsString(log) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static ObjectNode result(ValidationReport.Finding finding, int ruleIndex) {
    ObjectNode result =
        NODES
            .objectNode()
            .put("ruleId", finding.ruleId())
            .put("ruleIndex", ruleIndex)
            .put("level", finding.severity().wireName());
    result.putObject("message").put("text", finding.messageWithPath());
    ObjectNode location = result.putArray("locations").addObject();
    ObjectNode physical = location.putObject("physicalLocation");
    SourceLocation at = finding.location();
    physical.putObject("artifactLocation").put("uri", uri(at.source()));
    if (at.line() > 0) {
      ObjectNode region = physical.putObject("region").put("startLine", at.line());
      if (at.column() > 0) {
        region.put("startColumn", at.column());
      }
    }
    finding
        .path()
        .ifPresent(
            path ->
                location
                    .putArray("logicalLocations")
                    .addObject()
                    .put("fullyQualifiedName", path.toString())
                    .put("kind", "member"));
    ObjectNode properties = NODES.objectNode();
    finding.path().ifPresent(path -> properties.put("fieldPath", path.toString()));
    finding.policy().ifPresent(policy -> properties.put("policy", policy));
    if (!properties.isEmpty()) {
      result.set("properties", properties);
    }
    return result;
  }

  /**
   * The file as given on the command line, as a URI reference: {@code /} for {@code \}, and every
   * byte outside unreserved characters and {@code /} percent-encoded ({@code <stdin>} is {@code
   * %3Cstdin%3E}), so that a relative path stays relative to where the command ran.
   */
  static String uri(String source) {
    StringBuilder out = new StringBuilder();
    for (byte b : source.replace('\\', '/').getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~/".indexOf(c) >= 0)) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return out.toString();
  }
}
