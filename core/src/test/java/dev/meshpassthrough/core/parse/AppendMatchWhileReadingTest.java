package dev.meshpassthrough.core.parse;

import static dev.meshpassthrough.core.parse.Parsing.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.PolicyDocument;
import java.util.HashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser binds the entries of a spec's {@code appendMatch} as it reads them, except in a list
 * with an anchor, which it keeps as a tree because an alias may use it elsewhere: both roads give
 * the same documents, locations and problems, in the same order. ({@code @@@} marks where the
 * anchor goes.)
 */
class AppendMatchWhileReadingTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Kubernetes, valid, block style
        """
        apiVersion: kuma.io/v1alpha1
        kind: MeshPassthrough
        metadata: {name: mp, namespace: ns}
        spec:
          targetRef: {kind: Mesh}
          default:
            passthroughMode: Matched
            appendMatch: @@@
              - type: Domain
                value: a.example.com
                port: 443
                protocol: tls
              - {type: IP, value: 10.0.0.1}
              -   type: CIDR
                  value: 10.1.0.0/16
                  port: 0443
        """,
        // Universal, with bad entries of every kind
        """
        type: MeshPassthrough
        name: mp
        spec:
          default:
            appendMatch: @@@
              - type: IP
                valeu: 1.1.1.1
                port: [80]
              - just a string
              - type: Domain
                type: IP
                protocol: {a: b}
              - null
              - {port: eighty, protocol: 1, value: 1.2.3.4, type: 5}
        """,
        // a bare spec in flow style, an item used again through an alias
        """
        default: {appendMatch: @@@ [&e0 {type: IP, value: 1.1.1.1}, {type: CIDR, value: x}]}
        targetRef: {kind: Mesh, proxyTypes: *e0}
        """,
        // lists that only look like a spec's appendMatch
        """
        apiVersion: kuma.io/v1alpha1
        kind: MeshPassthrough
        metadata: {name: mp}
        default: {appendMatch: @@@ [{type: IP, value: 1.1.1.1}]}
        spec: {default: {appendMatch: @@@ [{type: IP, valu: 2.2.2.2}]}}
        """,
        // the second of two appendMatch keys is reported, not bound
        """
        default:
          appendMatch: @@@ [{type: IP, value: 1.1.1.1}]
          appendMatch: @@@ [{type: IP, vale: 2.2.2.2}]
        """
      })
  void boundWhileReading_equalsBoundFromTheTree(String template) {
    // The anchor takes the place of spaces, so that every column stays where it was.
    ParseResult whileReading = parse(template.replace("@@@", "   "));
    String anchored = template;
    for (int i = 1; anchored.contains("@@@"); i++) {
      anchored = anchored.replaceFirst("@@@", "&e" + i);
    }
    ParseResult fromTree = parse(anchored);

    assertThat(whileReading.problems()).isEqualTo(fromTree.problems());
    assertThat(whileReading.documents()).isEqualTo(fromTree.documents());
    for (PolicyDocument document : whileReading.documents()) {
      assertThat(new HashMap<FieldPath, SourceLocation>(document.locations()))
          .isEqualTo(document.locations());
    }
  }
}
