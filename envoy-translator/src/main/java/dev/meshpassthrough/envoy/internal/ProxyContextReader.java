package dev.meshpassthrough.envoy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.core.resolve.internal.ProxyFileReader;
import dev.meshpassthrough.core.resolve.internal.ProxyTree;
import dev.meshpassthrough.envoy.ProxyContext;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a proxy file (the {@code proxy.yaml} schema of the conformance corpus, extended for
 * selection) into a {@link ProxyContext}: the file is read once ({@link ProxyTree}); core's reader
 * takes the selection part ({@link ProxyFile}: {@code dataplane.labels}, {@code .gateway}, {@code
 * .gatewayTags}, {@code .listeners}, inbound names and tags, {@code context}) and checks it first,
 * this one the resources part from the same tree, with the same field readers.
 *
 * <p>Unknown fields are errors, so that a misspelt setting is not silently ignored; {@code mesh}
 * and the summary fields beside each {@code envoy:} block are accepted and not used. {@code
 * transparentProxy: true} stands for Kuma's default redirect ports in dual-stack mode, {@code
 * false} for none. Every error names the source, line and column, and the field path. An {@code
 * envoy:} block nested deeper than protobuf reads back (a {@code Struct} in metadata 33 or more
 * levels deep) is refused here, where it can be located, rather than failing when the output is
 * written.
 */
public final class ProxyContextReader {
  private static final Set<String> EXISTING = Set.of("listeners", "clusters");
  private static final Set<String> LISTENER =
      Set.of(
          "name",
          "origin",
          "address",
          "port",
          "protocol",
          "trafficDirection",
          "defaultFilterChain",
          "envoy");
  private static final Set<String> CLUSTER = Set.of("name", "origin", "envoy");
  private static final Set<String> ADDRESS_FIELDS =
      Set.of("address", "address_prefix", "addressPrefix");

  private final ProxyTree text;

  private ProxyContextReader(ProxyTree text) {
    this.text = text;
  }

  /**
   * See {@link ProxyContext#parse(String, String)}.
   *
   * @param text the document
   * @param sourceName names it in messages
   * @return both views of the proxy
   */
  public static ProxyContext read(String text, String sourceName) {
    ProxyTree tree = ProxyTree.parse(text, sourceName);
    // The selection part first: it checks the fields both parts read (dataplane, proxy).
    ProxyFileReader.Read read = ProxyFileReader.read(tree, KumaLine.V2);
    ProxyFile selection = new ProxyFile(read.proxy(), read.context());
    return new ProxyContextReader(tree).context(tree.root(), selection);
  }

  private ProxyContext context(JsonNode root, ProxyFile selection) {
    JsonNode dataplane = root.path("dataplane");
    String address = text(dataplane.path("address"), "dataplane.address").orElse("");
    Optional<ProxyContext.TransparentProxy> transparentProxy =
        transparentProxy(dataplane.path("transparentProxy"));
    JsonNode proxy = root.path("proxy");
    text(proxy.path("apiVersion"), "proxy.apiVersion")
        .filter(v -> !v.equals("v3"))
        .ifPresent(v -> fail("proxy.apiVersion", "only Envoy's v3 API exists, got '" + v + "'"));
    boolean ipv6Enabled = bool(proxy.path("ipv6Enabled"), "proxy.ipv6Enabled");
    List<String> features = texts(proxy.path("features"), "proxy.features");
    List<String> internalAddresses =
        texts(proxy.path("internalAddresses"), "proxy.internalAddresses");
    JsonNode existing = root.path("existing");
    object(existing, "existing", EXISTING);
    List<ProxyContext.ExistingListener> listeners = listeners(existing.path("listeners"));
    List<ProxyContext.ExistingCluster> clusters = clusters(existing.path("clusters"));
    ProxyContext context;
    try {
      context =
          new ProxyContext(
              address,
              transparentProxy,
              ipv6Enabled,
              new TreeSet<>(features),
              internalAddresses,
              listeners,
              clusters,
              selection);
    } catch (IllegalArgumentException e) {
      throw text.failDocument(String.valueOf(e.getMessage()), e);
    }
    // The 3.x corpus states the proxy's address family, which the dataplane already says.
    JsonNode dataplaneIpv6 = proxy.path("dataplaneIPv6");
    if (!dataplaneIpv6.isMissingNode()
        && bool(dataplaneIpv6, "proxy.dataplaneIPv6") != context.dataplaneIpv6()) {
      fail(
          "proxy.dataplaneIPv6",
          "is "
              + dataplaneIpv6.asBoolean()
              + ", but the dataplane says "
              + context.dataplaneIpv6()
              + " (an IPv6 dataplane.address or ipFamilyMode dualstack makes the proxy IPv6)");
    }
    return context;
  }

  private Optional<ProxyContext.TransparentProxy> transparentProxy(JsonNode node) {
    if (node.isMissingNode() || node.isNull() || (node.isBoolean() && !node.asBoolean())) {
      return Optional.empty();
    }
    if (node.isBoolean()) {
      return Optional.of(
          new ProxyContext.TransparentProxy(
              DefaultTransparentProxy.OUTBOUND_PORT,
              DefaultTransparentProxy.INBOUND_PORT,
              ProxyContext.IpFamilyMode.DUALSTACK));
    }
    String path = "dataplane.transparentProxy";
    // Ports left out are Kuma's defaults (the 3.x corpus gives the IP family mode alone).
    int outbound =
        text.port(node.path("redirectPortOutbound"), path + ".redirectPortOutbound", 0)
            .orElse(DefaultTransparentProxy.OUTBOUND_PORT);
    int inbound =
        text.port(node.path("redirectPortInbound"), path + ".redirectPortInbound", 0)
            .orElse(DefaultTransparentProxy.INBOUND_PORT);
    String mode = text(node.path("ipFamilyMode"), path + ".ipFamilyMode").orElse("dualstack");
    ProxyContext.IpFamilyMode familyMode =
        switch (mode.toLowerCase(Locale.ROOT)) {
          case "ipv4" -> ProxyContext.IpFamilyMode.IPV4;
          case "dualstack" -> ProxyContext.IpFamilyMode.DUALSTACK;
          default ->
              throw fail(path + ".ipFamilyMode", "must be ipv4 or dualstack, got '" + mode + "'");
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

  private <B extends com.google.protobuf.Message.Builder> B envoy(
      JsonNode entry, String path, B builder) {
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
    // Protobuf reads a message back (from bytes, as Any and the output do) only 100 levels deep,
    // and
    // JsonFormat builds Struct and Value without counting them: refuse here what could not be
    // written.
    if (!ProtoJson.readsBack(builder.buildPartial())) {
      throw fail(
          path + ".envoy",
          "nests messages deeper than protobuf reads back ("
              + ProtoJson.RECURSION_LIMIT
              + " levels; a Struct "
              + "such as metadata takes 3 levels per level of nesting, so at most "
              + (ProtoJson.RECURSION_LIMIT / 3)
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
        text.ascii(value.asText(), fieldPath);
      } else if (value.isContainerNode()) {
        asciiAddresses(value, fieldPath);
      }
    }
  }

  /** The envoy block's name, which must agree with the summary's when both are written. */
  private String name(JsonNode entry, String path, String envoyName) {
    Optional<String> summary = text(entry.path("name"), path + ".name");
    if (summary.isPresent() && !envoyName.isEmpty() && !summary.get().equals(envoyName)) {
      throw fail(
          path + ".name", "is '" + summary.get() + "' but envoy.name is '" + envoyName + "'");
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
    text.object(node, path, known);
  }

  private List<JsonNode> elements(JsonNode node, String path) {
    return text.elements(node, path);
  }

  private Optional<String> text(JsonNode node, String path) {
    return text.text(node, path);
  }

  private List<String> texts(JsonNode node, String path) {
    return text.texts(node, path);
  }

  private boolean bool(JsonNode node, String path) {
    return text.bool(node, path).orElse(false);
  }

  private IllegalArgumentException fail(String path, String message) {
    throw text.fail(path, message);
  }
}
