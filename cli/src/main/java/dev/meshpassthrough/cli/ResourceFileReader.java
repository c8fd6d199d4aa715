package dev.meshpassthrough.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.meshpassthrough.core.resolve.internal.LocatedYaml;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads the input of {@code lint}: a resources document, as {@code translate} prints it, or the
 * JSON of Envoy's admin {@code /config_dump}, in JSON or YAML.
 *
 * <p>From a config dump it takes {@code ListenersConfigDump} ({@code static_listeners[].listener},
 * {@code dynamic_listeners[].active_state.listener} and {@code .warming_state.listener}, and the
 * {@code error_state} of failed updates) and {@code ClustersConfigDump} ({@code
 * static_clusters[].cluster}, {@code dynamic_active_clusters[].cluster}, {@code
 * dynamic_warming_clusters[].cluster}), also as the single entries {@code ?resource=} prints; other
 * config types are skipped. Field names may be written in snake_case, as Envoy prints them, or
 * lowerCamelCase. Resources are read with protobuf's JsonFormat and a type registry of every type
 * URL the input uses, strictly: an unknown field or {@code @type} makes the input unreadable.
 */
final class ResourceFileReader {
  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final String ADMIN = "envoy.admin.v3.";

  private final String source;
  private final Map<String, ResourceFile.Position> positions;
  private final List<ResourceFile.Entry> entries = new ArrayList<>();
  private final List<ResourceFile.FailedUpdate> failedUpdates = new ArrayList<>();
  private boolean holdsClusters;

  private ResourceFileReader(String source, Map<String, ResourceFile.Position> positions) {
    this.source = source;
    this.positions = positions;
  }

  /**
   * The input could not be read; the message starts with the source and, where known, line and
   * column.
   */
  static final class UnreadableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableException(String message) {
      super(message);
    }
  }

  /**
   * The resources of {@code text}.
   *
   * @throws UnreadableException when it is not YAML or JSON, not a resources document or config
   *     dump, or holds a resource protobuf cannot read
   */
  static ResourceFile read(String text, String source) {
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    String start = body.stripLeading();
    ObjectMapper mapper = start.startsWith("{") || start.startsWith("[") ? JSON : YAML;
    Map<String, ResourceFile.Position> positions = new HashMap<>();
    JsonNode root;
    try {
      try (JsonParser parser = mapper.createParser(body)) {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
          if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            JsonLocation at = parser.currentTokenLocation();
            positions.putIfAbsent(
                parser.getParsingContext().getParent().pathAsPointer().toString(),
                new ResourceFile.Position(at.getLineNr(), at.getColumnNr()));
          }
        }
      }
      root = mapper.readTree(body);
      if (mapper == YAML) {
        new LocatedYaml(body, source).refuseUnknownTags();
      }
    } catch (IllegalArgumentException e) {
      throw new UnreadableException(PolicyInputs.oneLine(String.valueOf(e.getMessage())));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new UnreadableException(
          where
              + ": not "
              + (mapper == JSON ? "JSON" : "YAML")
              + ": "
              + firstLines(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UnreadableException(
          source + ": " + PolicyInputs.oneLine(String.valueOf(e.getMessage())));
    }
    return new ResourceFileReader(source, positions).document(root);
  }

  private ResourceFile document(JsonNode root) {
    Where top = Where.ROOT;
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw fail(
          top,
          "the input is empty; expected a resources document {\"resources\": [...]} or an Envoy /config_dump {\"configs\": [...]}");
    }
    if (root.isObject() && root.has("resources")) {
      resources(array(root.get("resources"), top.field("resources")));
      return new ResourceFile(source, ResourceFile.Kind.RESOURCES, entries, failedUpdates, true);
    }
    if (root.isObject() && root.has("configs")) {
      List<JsonNode> configs = array(root.get("configs"), top.field("configs"));
      for (int i = 0; i < configs.size(); i++) {
        config(configs.get(i), top.field("configs").index(i));
      }
      return new ResourceFile(
          source, ResourceFile.Kind.CONFIG_DUMP, entries, failedUpdates, holdsClusters);
    }
    String got =
        root.isObject()
            ? "an object with the fields " + new TreeSet<>(fieldNames(root))
            : kind(root);
    throw fail(
        top,
        "neither a resources document {\"resources\": [...]} (as translate prints) nor an Envoy /config_dump "
            + "{\"configs\": [...]}: got "
            + got);
  }

  private void resources(List<JsonNode> list) {
    Where where = Where.ROOT.field("resources");
    for (int i = 0; i < list.size(); i++) {
      Where item = where.index(i);
      JsonNode entry = list.get(i);
      if (!entry.isObject() || !entry.has("resource")) {
        throw fail(
            item,
            "expected {\"name\": N, \"resource\": {\"@type\": ..., ...}}, got "
                + (entry.isObject() ? "no resource" : kind(entry)));
      }
      Message resource =
          resource(
              entry.get("resource"),
              item.field("resource"),
              Optional.empty(),
              ResourceFile.State.CURRENT);
      JsonNode name = entry.get("name");
      String actual = resource instanceof Listener l ? l.getName() : ((Cluster) resource).getName();
      if (name != null && !name.isNull() && !name.asText().equals(actual)) {
        throw fail(
            item.field("name"),
            "is '" + name.asText() + "' but the resource is called '" + actual + "'");
      }
    }
  }

  private void config(JsonNode config, Where where) {
    String type = typeOf(config, where);
    switch (type) {
      case ADMIN + "ListenersConfigDump" -> {
        each(config, where, "static_listeners", this::staticListener);
        each(config, where, "dynamic_listeners", this::dynamicListener);
      }
      case ADMIN + "ClustersConfigDump" -> {
        holdsClusters = true;
        each(
            config,
            where,
            "static_clusters",
            (node, at) -> cluster(node, at, ResourceFile.State.CURRENT));
        each(
            config,
            where,
            "dynamic_active_clusters",
            (node, at) -> cluster(node, at, ResourceFile.State.CURRENT));
        each(
            config,
            where,
            "dynamic_warming_clusters",
            (node, at) -> cluster(node, at, ResourceFile.State.WARMING));
      }
      case ADMIN + "ListenersConfigDump.StaticListener" -> staticListener(config, where);
      case ADMIN + "ListenersConfigDump.DynamicListener" -> dynamicListener(config, where);
      case ADMIN + "ClustersConfigDump.StaticCluster",
          ADMIN + "ClustersConfigDump.DynamicCluster" -> {
        holdsClusters = true;
        cluster(config, where, ResourceFile.State.CURRENT);
      }
      default -> {} // bootstrap, routes, secrets, endpoints, scoped routes: not what lint checks
    }
  }

  private void staticListener(JsonNode node, Where where) {
    field(node, where, "listener")
        .ifPresent(
            f ->
                resource(
                    f.getValue(),
                    where.field(f.getKey()),
                    Optional.empty(),
                    ResourceFile.State.CURRENT));
  }

  private void dynamicListener(JsonNode node, Where where) {
    object(node, where);
    String name = Optional.ofNullable(node.get("name")).map(JsonNode::asText).orElse("");
    for (String state : List.of("active_state", "warming_state")) {
      Optional<Map.Entry<String, JsonNode>> holder = field(node, where, state);
      if (holder.isPresent() && !holder.get().getValue().isNull()) {
        Where at = where.field(holder.get().getKey());
        ResourceFile.State kind =
            state.equals("active_state") ? ResourceFile.State.CURRENT : ResourceFile.State.WARMING;
        field(holder.get().getValue(), at, "listener")
            .ifPresent(f -> resource(f.getValue(), at.field(f.getKey()), Optional.of(name), kind));
      }
    }
    failedUpdate(node, where, "Listener " + name);
  }

  private void cluster(JsonNode node, Where where, ResourceFile.State state) {
    Optional<Map.Entry<String, JsonNode>> cluster = field(node, where, "cluster");
    cluster.ifPresent(
        f -> resource(f.getValue(), where.field(f.getKey()), Optional.empty(), state));
    String name = cluster.map(f -> f.getValue().path("name").asText()).orElse("");
    failedUpdate(node, where, "Cluster " + name);
  }

  private void failedUpdate(JsonNode node, Where where, String resource) {
    field(node, where, "error_state")
        .filter(f -> !f.getValue().isNull())
        .ifPresent(
            f -> {
              JsonNode details = f.getValue().path("details");
              failedUpdates.add(
                  new ResourceFile.FailedUpdate(
                      resource,
                      position(where.field(f.getKey())),
                      details.isTextual() ? details.asText() : "(no details)"));
            });
  }

  /**
   * Reads a Listener or Cluster; {@code expectedName}, from a dynamic listener's entry, is checked
   * when given.
   */
  private Message resource(
      JsonNode node, Where where, Optional<String> expectedName, ResourceFile.State state) {
    object(node, where);
    String type = typeOf(node, where);
    Message.Builder builder;
    if (type.equals(Listener.getDescriptor().getFullName())) {
      builder = Listener.newBuilder();
    } else if (type.equals(Cluster.getDescriptor().getFullName())) {
      builder = Cluster.newBuilder();
    } else {
      throw fail(
          where.field("@type"),
          "is '"
              + type
              + "': lint reads envoy.config.listener.v3.Listener and "
              + "envoy.config.cluster.v3.Cluster resources");
    }
    List<Descriptor> packed = new ArrayList<>();
    collectTypes(node, where, packed, true);
    ObjectNode fields = ((ObjectNode) node).deepCopy();
    fields.remove("@type");
    try {
      JsonFormat.parser()
          .usingTypeRegistry(ProtoTypes.registry(packed))
          .merge(JSON.writeValueAsString(fields), builder);
    } catch (InvalidProtocolBufferException | JsonProcessingException | RuntimeException e) {
      throw fail(
          where,
          "not a valid "
              + builder.getDescriptorForType().getName()
              + ": "
              + PolicyInputs.oneLine(String.valueOf(e.getMessage())));
    }
    Message resource = builder.build();
    if (resource instanceof Listener listener
        && expectedName.filter(n -> !n.isEmpty() && !n.equals(listener.getName())).isPresent()) {
      throw fail(
          where.field("name"),
          "is '"
              + listener.getName()
              + "', but its dynamic_listeners entry is named '"
              + expectedName.get()
              + "': the dump does not hold together");
    }
    entries.add(new ResourceFile.Entry(resource, where.display(), position(where), state));
    return resource;
  }

  /**
   * Every {@code @type} below {@code node}; an unknown one makes the input unreadable, at its
   * place.
   */
  private void collectTypes(JsonNode node, Where where, List<Descriptor> out, boolean top) {
    if (node.isObject()) {
      JsonNode type = node.get("@type");
      if (type != null && !top) {
        String name = ProtoTypes.fullName(type.asText());
        out.add(
            ProtoTypes.find(name)
                .orElseThrow(
                    () ->
                        fail(
                            where.field("@type"),
                            "unknown @type '"
                                + type.asText()
                                + "': not a message of the Envoy API meshpassthrough reads")));
      }
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        collectTypes(f.getValue(), where.field(f.getKey()), out, false);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectTypes(node.get(i), where.index(i), out, false);
      }
    }
  }

  private String typeOf(JsonNode node, Where where) {
    object(node, where);
    JsonNode type = node.get("@type");
    if (type == null || !type.isTextual() || type.asText().isBlank()) {
      throw fail(
          where.field("@type"),
          "is missing: expected a type URL such as type.googleapis.com/envoy.config.listener.v3.Listener");
    }
    return ProtoTypes.fullName(type.asText());
  }

  /** The field {@code snakeName}, or its lowerCamelCase spelling, with the spelling found. */
  private Optional<Map.Entry<String, JsonNode>> field(
      JsonNode node, Where where, String snakeName) {
    object(node, where);
    String camel = camel(snakeName);
    if (node.has(snakeName)) {
      return Optional.of(Map.entry(snakeName, node.get(snakeName)));
    }
    return node.has(camel) ? Optional.of(Map.entry(camel, node.get(camel))) : Optional.empty();
  }

  private void each(
      JsonNode node,
      Where where,
      String snakeName,
      java.util.function.BiConsumer<JsonNode, Where> reader) {
    Optional<Map.Entry<String, JsonNode>> list = field(node, where, snakeName);
    if (list.isEmpty() || list.get().getValue().isNull()) {
      return;
    }
    Where at = where.field(list.get().getKey());
    List<JsonNode> items = array(list.get().getValue(), at);
    for (int i = 0; i < items.size(); i++) {
      reader.accept(items.get(i), at.index(i));
    }
  }

  private List<JsonNode> array(JsonNode node, Where where) {
    if (!node.isArray()) {
      throw fail(where, "must be a list, got " + kind(node));
    }
    List<JsonNode> out = new ArrayList<>();
    node.forEach(out::add);
    return out;
  }

  private void object(JsonNode node, Where where) {
    if (!node.isObject()) {
      throw fail(where, "must be an object, got " + kind(node));
    }
  }

  private Optional<ResourceFile.Position> position(Where where) {
    return Optional.ofNullable(positions.get(where.pointer().toString()));
  }

  private UnreadableException fail(Where where, String message) {
    Optional<ResourceFile.Position> at = Optional.empty();
    for (Where w = where; w != null && at.isEmpty(); w = w.parent()) {
      at = position(w);
    }
    String path = where.display().isEmpty() ? "" : where.display() + ": ";
    return new UnreadableException(
        source + at.map(p -> ":" + p).orElse("") + ": " + path + message);
  }

  /** A parser's message without the source excerpt YAML adds: its unindented lines, joined. */
  private static String firstLines(@org.jspecify.annotations.Nullable String message) {
    if (message == null) {
      return "(no details)";
    }
    List<String> lines =
        message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList();
    return PolicyInputs.oneLine(
        String.join("; ", lines.isEmpty() ? List.of(message.strip()) : lines));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String kind(JsonNode node) {
    return node.isObject()
        ? "an object"
        : node.isArray()
            ? "a list"
            : node.isTextual()
                ? "a string"
                : node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        out.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return out.toString();
  }

  /**
   * A place in the input: its JSON pointer (for positions) and its display form ({@code
   * configs[1].dynamic_listeners[0]}).
   */
  private record Where(
      JsonPointer pointer, String display, @org.jspecify.annotations.Nullable Where parent) {
    static final Where ROOT = new Where(JsonPointer.empty(), "", null);

    Where field(String name) {
      return new Where(
          pointer.appendProperty(name), display.isEmpty() ? name : display + "." + name, this);
    }

    Where index(int i) {
      return new Where(pointer.appendIndex(i), display + "[" + i + "]", this);
    }
  }
}
