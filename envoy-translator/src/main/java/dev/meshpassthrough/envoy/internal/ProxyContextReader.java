package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.core.resolve.internal.ProxyFileReader;
import dev.meshpassthrough.core.resolve.internal.LocatedYaml;
import dev.meshpassthrough.envoy.ProxyContext;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the {@code proxy.yaml} schema of the conformance corpus into a {@link ProxyContext}.
 *
 * <p>Unknown fields are errors, so that a misspelt setting is not silently ignored; {@code mesh} and
 * the summary fields beside each {@code envoy:} block are accepted and not used. The fields selection
 * reads ({@code dataplane.labels}, {@code .gateway}, {@code .gatewayTags}, {@code .listeners}, inbound
 * names and tags, {@code context}) belong to core's {@link ProxyFile}, which checks them first: one
 * schema, read in two parts. {@code transparentProxy: true} stands for Kuma's default redirect ports
 * in dual-stack mode, {@code false} for none. Every error names the source, line and column, and the
 * field path. An {@code envoy:} block nested deeper than protobuf reads back (a {@code Struct} in
 * metadata 33 or more levels deep) is refused here, where it can be located, rather than failing when
 * the output is written.
 */
public final class ProxyContextReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP = Set.of("dataplane", "proxy", "mesh", "existing", "context");
  private static final Set<String> DATAPLANE = Set.of("name", "mesh", "labels", "address", "inbounds", "gateway", "gatewayTags",
      "listeners", "transparentProxy");
  private static final Set<String> TRANSPARENT_PROXY = Set.of("redirectPortOutbound", "redirectPortInbound", "ipFamilyMode");
  private static final Set<String> PROXY = Set.of("apiVersion", "zone", "ipv6Enabled", "features", "internalAddresses");
  private static final Set<String> EXISTING = Set.of("listeners", "clusters");
  private static final Set<String> LISTENER = Set.of("name", "origin", "address", "port", "protocol", "trafficDirection",
      "defaultFilterChain", "envoy");
  private static final Set<String> CLUSTER = Set.of("name", "origin", "envoy");
  private static final Set<String> ADDRESS_FIELDS = Set.of("address", "address_prefix", "addressPrefix");

  private final LocatedYaml text;

  private ProxyContextReader(LocatedYaml text) {
    this.text = text;
  }

  /** See {@link ProxyContext#parse(String, String)}. */
  public static ProxyContext read(String text, String sourceName) {
    // The selection part first: same file, same errors (syntax, duplicate keys, unknown YAML tags).
    ProxyFile.parse(text, sourceName, KumaLine.V2);
    JsonNode root = ProxyFileReader.tree(text, sourceName);
    return new ProxyContextReader(new LocatedYaml(text, sourceName)).context(root == null ? YAML.createObjectNode() : root);
  }

  private ProxyContext context(JsonNode root) {
    object(root, "", TOP);
    JsonNode dataplane = root.path("dataplane");
    object(dataplane, "dataplane", DATAPLANE);
    String address = text(dataplane.path("address"), "dataplane.address").orElse("");
    Optional<ProxyContext.TransparentProxy> transparentProxy = transparentProxy(dataplane.path("transparentProxy"));
    JsonNode proxy = root.path("proxy");
    object(proxy, "proxy", PROXY);
    text(proxy.path("apiVersion"), "proxy.apiVersion").filter(v -> !v.equals("v3"))
        .ifPresent(v -> fail("proxy.apiVersion", "only Envoy's v3 API exists, got '" + v + "'"));
    boolean ipv6Enabled = bool(proxy.path("ipv6Enabled"), "proxy.ipv6Enabled");
    List<String> features = texts(proxy.path("features"), "proxy.features");
    List<String> internalAddresses = texts(proxy.path("internalAddresses"), "proxy.internalAddresses");
    JsonNode existing = root.path("existing");
    object(existing, "existing", EXISTING);
    List<ProxyContext.ExistingListener> listeners = listeners(existing.path("listeners"));
    List<ProxyContext.ExistingCluster> clusters = clusters(existing.path("clusters"));
    try {
      return new ProxyContext(address, transparentProxy, ipv6Enabled, new TreeSet<>(features), internalAddresses, listeners, clusters);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(text.source() + ": " + e.getMessage(), e);
    }
  }

  private Optional<ProxyContext.TransparentProxy> transparentProxy(JsonNode node) {
    if (node.isMissingNode() || node.isNull() || (node.isBoolean() && !node.asBoolean())) {
      return Optional.empty();
    }
    if (node.isBoolean()) {
      return Optional.of(new ProxyContext.TransparentProxy(DefaultTransparentProxy.OUTBOUND_PORT, DefaultTransparentProxy.INBOUND_PORT,
          ProxyContext.IpFamilyMode.DUALSTACK));
    }
    String path = "dataplane.transparentProxy";
    object(node, path, TRANSPARENT_PROXY);
    int outbound = port(node.path("redirectPortOutbound"), path + ".redirectPortOutbound");
    int inbound = port(node.path("redirectPortInbound"), path + ".redirectPortInbound");
    String mode = text(node.path("ipFamilyMode"), path + ".ipFamilyMode").orElse("dualstack");
    ProxyContext.IpFamilyMode familyMode = switch (mode.toLowerCase(Locale.ROOT)) {
      case "ipv4" -> ProxyContext.IpFamilyMode.IPV4;
      case "dualstack" -> ProxyContext.IpFamilyMode.DUALSTACK;
      default -> throw fail(path + ".ipFamilyMode", "must be ipv4 or dualstack, got '" + mode + "'");
    };
    return Optional.of(new ProxyContext.TransparentProxy(outbound, inbound, familyMode));
  }

  private List<ProxyContext.ExistingListener> listeners(JsonNode list) {
    List<ProxyContext.ExistingListener> listeners = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : elements(list, "existing.listeners")) {
      String path = "existing.listeners[" + index++ + "]";
      object(entry, path, LISTENER);
      Listener.Builder builder = envoy(entry, path, Listener.newBuilder());
      builder.setName(name(entry, path, builder.getName()));
      listeners.add(new ProxyContext.ExistingListener(origin(entry, path), builder.build()));
    }
    return listeners;
  }

  private List<ProxyContext.ExistingCluster> clusters(JsonNode list) {
    List<ProxyContext.ExistingCluster> clusters = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : elements(list, "existing.clusters")) {
      String path = "existing.clusters[" + index++ + "]";
      object(entry, path, CLUSTER);
      Cluster.Builder builder = envoy(entry, path, Cluster.newBuilder());
      builder.setName(name(entry, path, builder.getName()));
      clusters.add(new ProxyContext.ExistingCluster(origin(entry, path), builder.build()));
    }
    return clusters;
  }

  private <B extends com.google.protobuf.Message.Builder> B envoy(JsonNode entry, String path, B builder) {
    JsonNode envoy = entry.path("envoy");
    if (envoy.isMissingNode() || envoy.isNull()) {
      throw fail(path + ".envoy", "is required: the resource in Envoy's proto3 JSON form");
    }
    asciiAddresses(envoy, path + ".envoy");
    try {
      ProtoJson.merge(envoy, builder);
    } catch (IllegalArgumentException e) {
      throw fail(path + ".envoy", String.valueOf(e.getMessage()));
    }
    // Protobuf reads a message back (from bytes, as Any and the output do) only 100 levels deep, and
    // JsonFormat builds Struct and Value without counting them: refuse here what could not be written.
    if (!ProtoJson.readsBack(builder.buildPartial())) {
      throw fail(path + ".envoy", "nests messages deeper than protobuf reads back (" + ProtoJson.RECURSION_LIMIT + " levels; a Struct "
          + "such as metadata takes 3 levels per level of nesting, so at most " + (ProtoJson.RECURSION_LIMIT / 3)
          + "): Envoy could not load it and it could not be written out");
    }
    return builder;
  }

  /**
   * Every address of an {@code envoy:} block ({@code address}, {@code address_prefix}) must be
   * ASCII: Envoy rejects a fullwidth or Arabic-Indic digit, which Guava would read as an ASCII one.
   */
  private void asciiAddresses(JsonNode node, String path) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        asciiAddresses(node.get(i), path + "[" + i + "]");
      }
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String fieldPath = path + "." + field.getKey();
      JsonNode value = field.getValue();
      if (value.isTextual() && ADDRESS_FIELDS.contains(field.getKey())) {
        IpLiteral.nonAscii(value.asText()).ifPresent(where -> {
          throw fail(fieldPath, "'" + value.asText() + "' has " + where + ": addresses are ASCII only");
        });
      } else if (value.isContainerNode()) {
        asciiAddresses(value, fieldPath);
      }
    }
  }

  /** The envoy block's name, which must agree with the summary's when both are written. */
  private String name(JsonNode entry, String path, String envoyName) {
    Optional<String> summary = text(entry.path("name"), path + ".name");
    if (summary.isPresent() && !envoyName.isEmpty() && !summary.get().equals(envoyName)) {
      throw fail(path + ".name", "is '" + summary.get() + "' but envoy.name is '" + envoyName + "'");
    }
    String name = envoyName.isEmpty() ? summary.orElse("") : envoyName;
    if (name.isEmpty()) {
      throw fail(path + ".envoy.name", "is required");
    }
    return name;
  }

  /** The origin; {@code transparent} when not written, since the corpus' resources all have it. */
  private String origin(JsonNode entry, String path) {
    return text(entry.path("origin"), path + ".origin").orElse(ProxyContext.ORIGIN_TRANSPARENT);
  }

  private void object(JsonNode node, String path, Set<String> known) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw fail(path, "must be a mapping");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw fail(path.isEmpty() ? name : path + "." + name, "unknown field; known here: " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  private List<JsonNode> elements(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw fail(path, "must be a list");
    }
    List<JsonNode> out = new ArrayList<>();
    node.forEach(out::add);
    return out;
  }

  private Optional<String> text(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isValueNode() || node.isBoolean()) {
      throw fail(path, "must be a string");
    }
    return Optional.of(node.asText());
  }

  private List<String> texts(JsonNode node, String path) {
    List<String> out = new ArrayList<>();
    int index = 0;
    for (JsonNode element : elements(node, path)) {
      out.add(text(element, path + "[" + index++ + "]").orElseThrow(() -> fail(path, "must not hold null")));
    }
    return out;
  }

  private boolean bool(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw fail(path, "must be true or false");
    }
    return node.asBoolean();
  }

  private int port(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return 0;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0 || node.asInt() > 65535) {
      throw fail(path, "must be a port, 0-65535");
    }
    return node.asInt();
  }

  private IllegalArgumentException fail(String path, String message) {
    throw text.fail(path, message);
  }
}
