package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.core.base.GeneratorBase;
import java.io.IOException;

/**
 * A generator that writes a resource document's text itself ({@link JsonText}, {@link YamlText})
 * and so takes strings as their UTF-8 bytes straight from a resource's encoding: {@link
 * ProtoJsonStream} hands it map keys with {@link #writeFieldName(byte[], int, int)} and string
 * values with {@link #writeUTF8String}, without making a {@code String} of them.
 */
abstract class DocumentText extends GeneratorBase {
  DocumentText() {
    super(0, null);
  }

  /** A field name (a string map key) from its UTF-8 encoding. */
  abstract void writeFieldName(byte[] name, int offset, int length) throws IOException;
}
