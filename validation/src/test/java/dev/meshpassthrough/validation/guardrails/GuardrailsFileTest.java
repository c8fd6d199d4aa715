package dev.meshpassthrough.validation.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.parse.ParseProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a guardrails file: every mistake located, hostile input refused without crashing. */
class GuardrailsFileTest {

  private static List<String> problems(String text) {
    Guardrails.Parsed parsed = Guardrails.parse(text, "g.yaml");
    assertThat(parsed.guardrails()).isEmpty();
    return parsed.problems().stream().map(ParseProblem::toString).toList();
  }

  @Test
  void theContractExample_reads() {
    String text =
        """
        kind: MeshPassthroughGuardrails
        modeAll: {severity: error, allowIn: {meshes: [], namespaces: [platform], policies: []}}
        networks:
          widestPrefix: {ipv4: 8, ipv6: 32}
          forbidden: [169.254.0.0/16, fd00:ec2::254/128, 127.0.0.0/8, '::1/128']
        domains:
          allowedSuffixes: [example.com]
          requirePort: true
        protocols: [tcp, tls, http, http2, grpc, mysql]
        maxEntries: {perPolicy: 200, perProxy: 1000}
        selection: {trustedLabels: [k8s.kuma.io/namespace, kuma.io/zone]}
        """;

    Guardrails.Parsed parsed = Guardrails.parse(text, "g.yaml");

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.guardrails()).isPresent();
  }

  @Test
  void aMisspeltField_isLocated_withTheNearestName() {
    assertThat(problems("kind: MeshPassthroughGuardrails\nnetworks:\n  widestPrefx: {ipv4: 8}\n"))
        .containsExactly(
            "g.yaml:3:3: networks.widestPrefx: unknown field 'widestPrefx': did you mean widestPrefix? "
                + "Allowed fields: widestPrefix, forbidden");
  }

  @Test
  void theIssuesProseNames_areNotAliases_butSayWhereTheFieldBelongs() {
    assertThat(problems("kind: MeshPassthroughGuardrails\nforbiddenNetworks: [10.0.0.0/8]\n"))
        .containsExactly(
            "g.yaml:2:1: forbiddenNetworks: unknown field 'forbiddenNetworks': write it as networks.forbidden. "
                + "Allowed fields: kind, modeAll, networks, domains, protocols, maxEntries, selection");
  }

  @Test
  void wrongValues_areEachReported_withTheirPaths() {
    assertThat(
            problems(
                """
                kind: MeshPassthroughGuardrail
                modeAll: {severity: fatal}
                networks:
                  widestPrefix: {ipv4: 33}
                  forbidden: [10.0.0.0/33]
                protocols: [tcp, htp]
                maxEntries: {perPolicy: -1}
                domains:
                  requirePort: maybe
                """))
        .containsExactly(
            "g.yaml:1:7: kind: kind must be MeshPassthroughGuardrails, not 'MeshPassthroughGuardrail'",
            "g.yaml:2:21: modeAll.severity: severity must be error or warning, not 'fatal'",
            "g.yaml:4:24: networks.widestPrefix.ipv4: must be within 0-32, not 33",
            "g.yaml:5:15: networks.forbidden[0]: '10.0.0.0/33' is not an IP address or a CIDR such as 169.254.0.0/16",
            "g.yaml:6:18: protocols[1]: unknown protocol 'htp': did you mean http? Allowed: tcp, tls, http, http2, grpc, mysql",
            "g.yaml:7:25: maxEntries.perPolicy: must be at least 0, not -1",
            "g.yaml:9:16: domains.requirePort: must be true or false");
  }

  @Test
  void aRepeatedKey_andAMissingKind_areReported() {
    assertThat(problems("protocols: [tcp]\nprotocols: [tls]\n"))
        .containsExactly(
            "g.yaml:1:1: kind: missing field 'kind': write kind: MeshPassthroughGuardrails",
            "g.yaml:2:1: protocols: duplicate key 'protocols', first written at line 1, column 1");
  }

  @Test
  void hostileInput_comesBackAsAProblem() {
    StringBuilder bomb =
        new StringBuilder(
            "kind: MeshPassthroughGuardrails\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 0; i < 12; i++) {
      bomb.append((char) ('b' + i)).append(": &").append((char) ('b' + i)).append(" [");
      String previous = String.valueOf((char) ('a' + i));
      bomb.append(String.join(", ", java.util.Collections.nCopies(10, "*" + previous)))
          .append("]\n");
    }
    String deep =
        "kind: MeshPassthroughGuardrails\nselection: "
            + "[".repeat(10_000)
            + "]".repeat(10_000)
            + "\n";

    assertThat(problems(bomb.toString())).hasSize(1);
    assertThat(problems(deep)).singleElement().asString().contains("maxNestingDepth=64");
    assertThat(problems("kind: [")).singleElement().asString().startsWith("g.yaml:");
    assertThat(problems("")).containsExactly("g.yaml:1:1: the file holds no document");
    assertThat(problems("kind: MeshPassthroughGuardrails\n---\nkind: MeshPassthroughGuardrails\n"))
        .singleElement()
        .asString()
        .contains("one document");
  }

  @Test
  void anUnreadableFile_isOneProblemNamingIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("g.yaml");
    assertThat(Guardrails.read(file).problems())
        .extracting(ParseProblem::toString)
        .containsExactly(file + ":1:1: cannot read file: no such file or directory");
    Files.writeString(file, "kind: MeshPassthroughGuardrails\n");
    assertThat(Guardrails.read(file).guardrails()).isPresent();
  }
}
