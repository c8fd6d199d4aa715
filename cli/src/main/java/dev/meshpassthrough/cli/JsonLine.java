package dev.meshpassthrough.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads the one JSON object of a line, key by key, streaming: what the JSON formats of {@code
 * replay} ({@link AccessLogFormat}, {@link AuditLogFormat}) share. A repeated key, text after the
 * object and anything but an object make the line malformed.
 */
final class JsonLine {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonLine() {}

  /** Takes the values of a line's keys. */
  interface Fields {
    /**
     * Takes the value of {@code key}, the parser standing on its first token {@code value}; skips
     * the children of a value it does not read.
     *
     * @return why the line is malformed, or empty to read on
     */
    Optional<String> put(String key, JsonToken value, JsonParser parser) throws IOException;
  }

  /**
   * Hands every key of the object on {@code line} to {@code fields}, in order.
   *
   * @return why the line is malformed, or empty when it is one object whose keys {@code fields}
   *     took
   */
  static Optional<String> read(String line, Fields fields) {
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.of("not a JSON object");
      }
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_OBJECT;
          token = parser.nextToken()) {
        String key = parser.currentName();
        Optional<String> problem = fields.put(key, parser.nextToken(), parser);
        if (problem.isPresent()) {
          return problem;
        }
      }
      if (parser.nextToken() != null) {
        return Optional.of("text after the JSON object");
      }
      return Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.of(
          "not a JSON object: " + ReplayText.printable(String.valueOf(e.getOriginalMessage())));
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
  }

  /**
   * Whether the object on {@code line} has the top-level key {@code key}, before anything that is
   * not JSON.
   */
  static boolean hasKey(String line, String key) {
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      for (JsonToken token = parser.nextToken();
          token == JsonToken.FIELD_NAME;
          token = parser.nextToken()) {
        if (parser.currentName().equals(key)) {
          return true;
        }
        parser.nextToken();
        parser.skipChildren();
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
