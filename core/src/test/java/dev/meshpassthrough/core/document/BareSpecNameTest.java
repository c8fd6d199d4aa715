package dev.meshpassthrough.core.document;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.SourceLocation;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bare spec's identity does not depend on how its path is spelt (issue 13, defect 4): it is the
 * file name without its extension, whatever directories lead to it.
 */
class BareSpecNameTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "web.yaml, web",
    "./web.yaml, web",
    "policies/web.yaml, web",
    "./policies/../policies/web.yaml, web",
    "/srv/mesh/policies/web.yaml, web",
    "/tmp/linked-dir/web.yaml, web",
    "C:\\policies\\web.yaml, web",
    "web.yml, web",
    "web.json, web",
    "WEB.YAML, WEB",
    "web.v2.yaml, web.v2",
    "web, web",
    "web.txt, web.txt",
    "dir/.yaml, .yaml",
    "<stdin>, <stdin>",
  })
  void bareSpecName_isTheFileNameWithoutItsExtension(String source, String name) {
    assertThat(PolicyDocument.bareSpecName(source)).isEqualTo(name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"lock.yaml", "./lock.yaml", "/abs/dir/lock.yaml", "../x/lock.yaml"})
  void coreNameOfABareSpec_isItsBareSpecName(String source) {
    PolicyDocument document =
        PolicyDocument.bareSpec(
            new SourceLocation(source, 1, 1), new WrittenSpec(Optional.empty(), Optional.empty()));

    assertThat(document.coreName()).isEqualTo("lock");
    assertThat(document.metadata().name()).isEqualTo("lock");
  }
}
