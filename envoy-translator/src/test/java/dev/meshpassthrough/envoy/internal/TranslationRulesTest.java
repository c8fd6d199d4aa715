package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.envoy.TranslationException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The table of docs/translation-rules.md lists exactly the rule ids the translator uses. */
class TranslationRulesTest {
  private static final Path DOC = Path.of("..", "docs", "translation-rules.md");

  @Test
  void everyRuleId_isDocumented_andTheTableListsNoOther()
      throws IOException, IllegalAccessException {
    List<String> ids = new ArrayList<>();
    for (Field field : TranslationRules.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        ids.add((String) field.get(null));
      }
    }
    ids.add(TranslationException.UNCLASSIFIED_RULE);

    List<String> documented = new ArrayList<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `(translate\\.[a-z0-9.-]+)` \\|")
            .matcher(Files.readString(DOC, StandardCharsets.UTF_8));
    while (row.find()) {
      documented.add(row.group(1));
    }

    assertThat(ids)
        .allSatisfy(id -> assertThat(id).matches("translate(\\.[a-z0-9]+(-[a-z0-9]+)*)+"));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(ids);
  }
}
