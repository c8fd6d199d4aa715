package dev.meshpassthrough.core.parse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.meshpassthrough.core.parse.ParseLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The policy reader skips SnakeYAML's type resolver for scalars that can only be strings: its
 * tokens are exactly those of Jackson's own YAML parser.
 */
class ScalarTypesTest {
  /** Jackson's parser, with the one feature the policy reader changes. */
  private static final YAMLFactory JACKSON =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  private static final SyntaxReaders OURS = new SyntaxReaders(ParseLimits.defaults());

  @Test
  void wordsThatNoTypeStartsWith_skipTheResolver() {
    assertThat(EventYamlFactory.ImplicitTypes.startsNone('D')).isTrue();
    assertThat(EventYamlFactory.ImplicitTypes.startsNone('h')).isTrue();
    for (char c : "yYnNtTfFoO-+0123456789.<~!&* \t".toCharArray()) {
      assertThat(EventYamlFactory.ImplicitTypes.startsNone(c)).as("%s", c).isFalse();
    }
  }

  @Property(tries = 2000)
  void plainScalars_readAsJacksonReadsThem(@ForAll("scalars") String scalar) {
    String text = "a: " + scalar + "\nb: [" + scalar + "]\n";

    assertThat(tokens(OURS, text)).isEqualTo(tokens(null, text));
  }

  @Test
  void typicalValues_readAsJacksonReadsThem() {
    String text =
        """
        type: Domain
        value: svc.example.com
        port: 443
        protocol: http
        empty:
        other: [true, Null, null, ~, 0x1F, 1_000, 1.5, .inf, 2026-12-05, yes, On, '', "", x:y, é]
        """;

    assertThat(tokens(OURS, text)).isEqualTo(tokens(null, text));
  }

  /** Each token with its text, or the failure's class. */
  private static List<String> tokens(@Nullable SyntaxReaders readers, String text) {
    List<String> out = new ArrayList<>();
    try (JsonParser parser =
        readers == null
            ? JACKSON.createParser(text)
            : readers.open(SyntaxReaders.Syntax.YAML, text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        out.add(token + " " + parser.getText());
      }
    } catch (IOException | RuntimeException e) {
      out.add("failed");
    }
    return out;
  }

  @Provide
  Arbitrary<String> scalars() {
    return Arbitraries.strings()
        .withChars("aDhnNtTyYoOfF019.-+_~<!&*:#é ")
        .ofMinLength(1)
        .ofMaxLength(8);
  }
}
