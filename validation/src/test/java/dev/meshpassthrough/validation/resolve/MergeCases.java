package dev.meshpassthrough.validation.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The cases of the spec's {@code merge-cases.yaml}, copied into core's test resources, and the
 * mapping of a case's {@code proxy:} and {@code context:} onto the proxy file schema.
 */
final class MergeCases {
  static final Path FILE = Path.of("../core/src/test/resources/resolve/merge-cases.yaml");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> PROXY_FIELDS =
      Set.of(
          "name",
          "mesh",
          "labels",
          "inbounds",
          "gateway",
          "transparentProxy",
          "bindOutbounds",
          "listeners",
          "gatewayTags");

  private MergeCases() {}

  /** Every case, in file order. */
  static List<JsonNode> all() {
    try {
      List<JsonNode> out = new ArrayList<>();
      YAML.readTree(FILE.toFile()).path("cases").forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The case {@code id}. */
  static JsonNode byId(String id) {
    return all().stream().filter(c -> c.path("id").asText().equals(id)).findFirst().orElseThrow();
  }

  /**
   * The proxy file of a case: {@code proxy.*} goes to {@code dataplane.*} ({@code transparentProxy}
   * as a boolean), {@code bindOutbounds: true} to {@code proxy.features: [feature-bind-outbounds]},
   * {@code context} stays {@code context}.
   */
  static String proxyFile(JsonNode kase) {
    JsonNode proxy = kase.path("proxy");
    proxy
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!PROXY_FIELDS.contains(name)) {
                throw new IllegalStateException(
                    "case " + kase.path("id").asText() + ": unmapped proxy field " + name);
              }
            });
    ObjectNode root = YAML.createObjectNode();
    ObjectNode dataplane = root.putObject("dataplane");
    for (String field :
        List.of("name", "mesh", "labels", "inbounds", "gateway", "gatewayTags", "listeners")) {
      if (proxy.has(field)) {
        dataplane.set(field, proxy.get(field));
      }
    }
    dataplane.put("transparentProxy", proxy.path("transparentProxy").asBoolean());
    if (proxy.path("bindOutbounds").asBoolean()) {
      root.putObject("proxy").putArray("features").add("feature-bind-outbounds");
    }
    root.set("context", kase.path("context"));
    return text(root);
  }

  /** One policy of a case as YAML text. */
  static String text(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
