package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A translation error survives Java serialization (as a framework logging or shipping it would do)
 * with its message.
 */
class TranslationExceptionSerializationTest {
  @Test
  void serializing_keepsTheMessage_andDoesNotFailOnTheProblems() throws Exception {
    TranslationException thrown =
        TranslationException.of(
            List.of(
                Problem.of(
                        "translate.port.layer7-conflict",
                        Severity.ERROR,
                        "http and http2 on port 8080")
                    .at(FieldPath.of("spec", "default", "appendMatch").index(1))));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(thrown);
    }
    Object read;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      read = in.readObject();
    }

    assertThat(read).isInstanceOf(TranslationException.class);
    assertThat(((TranslationException) read).getMessage()).isEqualTo("http and http2 on port 8080");
    assertThat(thrown.problems())
        .singleElement()
        .extracting(Problem::ruleId)
        .isEqualTo("translate.port.layer7-conflict");
  }
}
