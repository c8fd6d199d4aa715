package dev.meshpassthrough.testkit.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.direct_response.v3.Config;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ApplicationProtocolInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationIPInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.ServerNameInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.TransportProtocolInput;
import io.envoyproxy.envoy.extensions.matching.input_matchers.ip.v3.Ip;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.HttpRequestHeaderMatchInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A hand-made set of listeners and clusters and the verdict a real Envoy 1.40 gave it, read from
 * {@code real-envoy/reject/NN-name.yaml} or {@code real-envoy/accept/NN-name.yaml} (test
 * resources). Each file is {@code {description, expectRejectedBecause, acceptanceRule, resources:
 * {listeners, clusters}}}, the resources in Envoy's proto3 JSON shape written as YAML. An
 * {@code @type} that no message known here has (a case about unknown types) is read as an {@code
 * Any} with that type URL and no value, which protobuf's JSON parser cannot do by itself.
 *
 * @param name the file name without {@code .yaml}, for example {@code 01-same-match-identical}
 * @param expectRejectedBecause a substring of Envoy's rejection text; null when Envoy accepts
 * @param acceptanceRule the rule id {@code EnvoyAcceptance} is expected to report, or null
 */
record EnvoyCase(
    String name,
    String description,
    @Nullable String expectRejectedBecause,
    @Nullable String acceptanceRule,
    List<Listener> listeners,
    List<Cluster> clusters) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UNKNOWN_TYPE_MARK = "unknown @type: ";
  private static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(
              List.of(
                  TcpProxy.getDescriptor(),
                  HttpConnectionManager.getDescriptor(),
                  Config.getDescriptor(),
                  RBAC.getDescriptor(),
                  Router.getDescriptor(),
                  Cors.getDescriptor(),
                  OriginalDst.getDescriptor(),
                  TlsInspector.getDescriptor(),
                  HttpInspector.getDescriptor(),
                  HttpProtocolOptions.getDescriptor(),
                  DestinationPortInput.getDescriptor(),
                  DestinationIPInput.getDescriptor(),
                  ServerNameInput.getDescriptor(),
                  TransportProtocolInput.getDescriptor(),
                  ApplicationProtocolInput.getDescriptor(),
                  Ip.getDescriptor(),
                  HttpRequestHeaderMatchInput.getDescriptor(),
                  StringValue.getDescriptor()))
          .build();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(TYPES);

  /** For parameterized test names. */
  @Override
  public String toString() {
    return name;
  }

  /** Every case of {@code real-envoy/<directory>}, in file-name order. */
  static List<EnvoyCase> all(String directory) {
    URL url = EnvoyCase.class.getResource("/real-envoy/" + directory);
    if (url == null) {
      throw new IllegalStateException("no test resource directory real-envoy/" + directory);
    }
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .map(EnvoyCase::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static EnvoyCase read(Path file) {
    try {
      return of(
          file.getFileName().toString().replaceFirst("\\.yaml$", ""), YAML.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  /**
   * A case written inline, in the shape of the files ({@code resources: {listeners, clusters}}).
   */
  static EnvoyCase ofYaml(String name, String yaml) {
    try {
      return of(name, YAML.readTree(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + name, e);
    }
  }

  private static EnvoyCase of(String name, JsonNode root) {
    try {
      JsonNode resources = root.path("resources");
      List<Listener> listeners = new ArrayList<>();
      for (JsonNode listener : resources.path("listeners")) {
        listeners.add(parse(listener, Listener.newBuilder(), name).build());
      }
      List<Cluster> clusters = new ArrayList<>();
      for (JsonNode cluster : resources.path("clusters")) {
        clusters.add(parse(cluster, Cluster.newBuilder(), name).build());
      }
      return new EnvoyCase(
          name,
          root.path("description").asText(),
          text(root.path("expectRejectedBecause")),
          text(root.path("acceptanceRule")),
          List.copyOf(listeners),
          List.copyOf(clusters));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + name, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <B extends Message.Builder> B parse(JsonNode json, B builder, String name)
      throws IOException {
    try {
      PARSER.merge(JSON.writeValueAsString(markUnknownTypes(json.deepCopy())), builder);
      return (B) restoreUnknownTypes(builder.build()).toBuilder();
    } catch (IOException e) {
      throw new IOException(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces every object whose {@code @type} is unknown here by a StringValue naming that type.
   */
  private static JsonNode markUnknownTypes(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode type = object.get("@type");
      if (type != null
          && TYPES.find(type.asText().substring(type.asText().lastIndexOf('/') + 1)) == null) {
        return JSON.createObjectNode()
            .put("@type", "type.googleapis.com/google.protobuf.StringValue")
            .put("value", UNKNOWN_TYPE_MARK + type.asText());
      }
      object.fields().forEachRemaining(field -> field.setValue(markUnknownTypes(field.getValue())));
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, markUnknownTypes(array.get(i)));
      }
    }
    return node;
  }

  /**
   * Turns the StringValues {@link #markUnknownTypes} left back into Anys of the unknown type,
   * without a value.
   */
  private static Message restoreUnknownTypes(Message message) throws IOException {
    if (message instanceof Any any
        && any.is(StringValue.class)
        && any.unpack(StringValue.class).getValue().startsWith(UNKNOWN_TYPE_MARK)) {
      return Any.newBuilder()
          .setTypeUrl(
              any.unpack(StringValue.class).getValue().substring(UNKNOWN_TYPE_MARK.length()))
          .build();
    }
    Message.Builder builder = message.toBuilder();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.isRepeated()) {
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
          builder.setRepeatedField(
              field, i, restoreUnknownTypes((Message) message.getRepeatedField(field, i)));
        }
      } else if (message.hasField(field)) {
        builder.setField(field, restoreUnknownTypes((Message) message.getField(field)));
      }
    }
    return builder.build();
  }

  private static @Nullable String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
