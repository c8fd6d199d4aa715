package dev.meshpassthrough.core.resolve.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.ProxyFile;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the selection part of a proxy file (which {@link ProxyFile} wraps), from the one reading of
 * the file ({@link ProxyTree}) that the translator's reader of the resources part shares. Every
 * error names the source, the line and column, and the field ({@code proxy.yaml:3:5:
 * dataplane.gateway: must be one of ...}); a YAML tag the reader does not know is an error, not
 * dropped.
 */
public final class ProxyFileReader {
  /** The fields of the document's root. */
  public static final Set<String> TOP = Set.of("dataplane", "proxy", "mesh", "existing", "context");

  /** The fields of {@code dataplane}. */
  public static final Set<String> DATAPLANE =
      Set.of(
          "name",
          "mesh",
          "labels",
          "address",
          "inbounds",
          "gateway",
          "gatewayTags",
          "listeners",
          "transparentProxy");

  private static final Set<String> INBOUND = Set.of("address", "port", "name", "tags");
  private static final Set<String> LISTENER = Set.of("name", "port");

  /** The fields of {@code dataplane.transparentProxy}. */
  public static final Set<String> TRANSPARENT_PROXY =
      Set.of("redirectPortOutbound", "redirectPortInbound", "ipFamilyMode");

  /** The fields of {@code proxy}. */
  public static final Set<String> PROXY =
      Set.of("apiVersion", "zone", "ipv6Enabled", "dataplaneIPv6", "features", "internalAddresses");

  private static final Set<String> MESH = Set.of("name", "spec", "passthrough");
  private static final Set<String> CONTEXT =
      Set.of("controlPlane", "environment", "zone", "systemNamespace", "meshPassthroughFlag");

  private final ProxyTree tree;

  private ProxyFileReader(ProxyTree tree) {
    this.tree = tree;
  }

  /**
   * The proxy and the control-plane context of a proxy file; see {@link ProxyFile#parse(String,
   * String, KumaLine)}.
   *
   * @param proxy the proxy
   * @param context the control plane
   */
  public record Read(ProxyDescriptor proxy, ControlPlaneContext context) {}

  /**
   * See {@link ProxyFile#parse(String, String, KumaLine)}.
   *
   * @param text the document
   * @param sourceName names the document in error messages
   * @param line the Kuma line of the control plane
   * @return what the file says
   */
  public static Read read(String text, String sourceName, KumaLine line) {
    return read(ProxyTree.parse(text, sourceName), line);
  }

  /**
   * The selection part of a file already read.
   *
   * @param tree the file
   * @param line the Kuma line of the control plane
   * @return the selection part
   * @throws IllegalArgumentException naming the source, line, column and field of the first mistake
   */
  public static Read read(ProxyTree tree, KumaLine line) {
    return new ProxyFileReader(tree).file(tree.root(), line);
  }

  private Read file(JsonNode root, KumaLine line) {
    object(root, "", TOP);
    JsonNode dataplane = root.path("dataplane");
    object(dataplane, "dataplane", DATAPLANE);
    JsonNode mesh = root.path("mesh");
    object(mesh, "mesh", MESH);
    JsonNode proxy = root.path("proxy");
    object(proxy, "proxy", PROXY);
    String meshName =
        agreeing(
                "dataplane.mesh",
                text(dataplane.path("mesh"), "dataplane.mesh"),
                "mesh.name",
                text(mesh.path("name"), "mesh.name"))
            .orElse("default");
    ProxyDescriptor.Builder builder =
        ProxyDescriptor.builder(text(dataplane.path("name"), "dataplane.name").orElse(""), meshName)
            .labels(map(dataplane.path("labels"), "dataplane.labels"))
            .gateway(gateway(dataplane.path("gateway")))
            .gatewayTags(map(dataplane.path("gatewayTags"), "dataplane.gatewayTags"))
            .outbound(outbound(dataplane, proxy));
    inbounds(dataplane.path("inbounds")).forEach(builder::inbound);
    addresses(dataplane, proxy);
    listeners(dataplane.path("listeners")).forEach(builder::listener);
    return new Read(builder.build(), context(root.path("context"), mesh, line));
  }

  private ControlPlaneContext context(JsonNode context, JsonNode mesh, KumaLine line) {
    object(context, "context", CONTEXT);
    ControlPlaneContext.Scope scope =
        choice(
                context.path("controlPlane"),
                "context.controlPlane",
                ControlPlaneContext.Scope.values(),
                ControlPlaneContext.Scope::wireName)
            .orElse(ControlPlaneContext.Scope.ZONE);
    ControlPlaneContext.Environment environment =
        choice(
                context.path("environment"),
                "context.environment",
                ControlPlaneContext.Environment.values(),
                ControlPlaneContext.Environment::wireName)
            .orElse(ControlPlaneContext.Environment.UNIVERSAL);
    Optional<Boolean> flag =
        agreeing(
            "context.meshPassthroughFlag",
            bool(context.path("meshPassthroughFlag"), "context.meshPassthroughFlag"),
            "mesh.passthrough",
            bool(mesh.path("passthrough"), "mesh.passthrough"));
    ControlPlaneContext.MeshPassthroughSwitch meshSwitch =
        flag.orElse(true)
            ? ControlPlaneContext.MeshPassthroughSwitch.ON
            : ControlPlaneContext.MeshPassthroughSwitch.OFF;
    return new ControlPlaneContext(
        line,
        scope,
        environment,
        text(context.path("zone"), "context.zone"),
        text(context.path("systemNamespace"), "context.systemNamespace"),
        meshSwitch);
  }

  private ProxyDescriptor.GatewayKind gateway(JsonNode node) {
    return choice(
            node,
            "dataplane.gateway",
            ProxyDescriptor.GatewayKind.values(),
            ProxyDescriptor.GatewayKind::wireName)
        .orElse(ProxyDescriptor.GatewayKind.NONE);
  }

  /** Bind-outbounds wins; otherwise the transparent-proxy settings decide, as ProxyContext does. */
  private ProxyDescriptor.Outbound outbound(JsonNode dataplane, JsonNode proxy) {
    List<String> features = new ArrayList<>();
    int index = 0;
    for (JsonNode feature : elements(proxy.path("features"), "proxy.features")) {
      String path = "proxy.features[" + index++ + "]";
      features.add(text(feature, path).orElseThrow(() -> fail(path, "must be a string")));
    }
    return transparentProxy(
        dataplane.path("transparentProxy"),
        features,
        text(dataplane.path("address"), "dataplane.address").orElse(""));
  }

  private ProxyDescriptor.Outbound transparentProxy(
      JsonNode node, List<String> features, String address) {
    String path = "dataplane.transparentProxy";
    if (node.isMissingNode() || node.isNull() || node.isBoolean()) {
      boolean on = node.isBoolean() && node.asBoolean();
      // true stands for Kuma's default redirect ports in dual-stack mode.
      return ProxyDescriptor.Outbound.of(
          features, on ? 15001 : 0, on ? 15006 : 0, EnumSet.allOf(IpFamily.class), address);
    }
    object(node, path, TRANSPARENT_PROXY);
    // Ports left out are Kuma's defaults (the 3.x corpus gives the IP family mode alone).
    int outbound =
        port(node.path("redirectPortOutbound"), path + ".redirectPortOutbound", 0).orElse(15001);
    int inbound =
        port(node.path("redirectPortInbound"), path + ".redirectPortInbound", 0).orElse(15006);
    String mode =
        text(node.path("ipFamilyMode"), path + ".ipFamilyMode")
            .orElse("dualstack")
            .toLowerCase(Locale.ROOT);
    if (!mode.equals("ipv4") && !mode.equals("dualstack")) {
      throw fail(path + ".ipFamilyMode", "must be ipv4 or dualstack, got '" + mode + "'");
    }
    return ProxyDescriptor.Outbound.of(
        features,
        outbound,
        inbound,
        mode.equals("ipv4") ? EnumSet.of(IpFamily.IPV4) : EnumSet.allOf(IpFamily.class),
        address);
  }

  /**
   * The addresses the translator reads ({@code dataplane.address}, inbound addresses, {@code
   * proxy.internalAddresses}) must be ASCII: Guava reads a fullwidth or Arabic-Indic digit as an
   * ASCII one, while Kuma and Envoy reject it.
   */
  private void addresses(JsonNode dataplane, JsonNode proxy) {
    text(dataplane.path("address"), "dataplane.address")
        .ifPresent(a -> ascii(a, "dataplane.address"));
    int index = 0;
    for (JsonNode inbound : elements(dataplane.path("inbounds"), "dataplane.inbounds")) {
      String path = "dataplane.inbounds[" + index++ + "].address";
      text(inbound.path("address"), path).ifPresent(a -> ascii(a, path));
    }
    index = 0;
    for (JsonNode cidr : elements(proxy.path("internalAddresses"), "proxy.internalAddresses")) {
      String path = "proxy.internalAddresses[" + index++ + "]";
      text(cidr, path).ifPresent(a -> ascii(a, path));
    }
  }

  private void ascii(String address, String path) {
    tree.ascii(address, path);
  }

  private List<ProxyDescriptor.Inbound> inbounds(JsonNode list) {
    List<ProxyDescriptor.Inbound> out = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : elements(list, "dataplane.inbounds")) {
      String path = "dataplane.inbounds[" + index++ + "]";
      object(entry, path, INBOUND);
      int port =
          port(entry.path("port"), path + ".port", 1)
              .orElseThrow(() -> fail(path + ".port", "is required"));
      out.add(
          new ProxyDescriptor.Inbound(
              port,
              text(entry.path("name"), path + ".name"),
              map(entry.path("tags"), path + ".tags")));
    }
    return out;
  }

  private List<ProxyDescriptor.ZoneProxyListener> listeners(JsonNode list) {
    List<ProxyDescriptor.ZoneProxyListener> out = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : elements(list, "dataplane.listeners")) {
      String path = "dataplane.listeners[" + index++ + "]";
      object(entry, path, LISTENER);
      int port =
          port(entry.path("port"), path + ".port", 1)
              .orElseThrow(() -> fail(path + ".port", "is required"));
      out.add(
          new ProxyDescriptor.ZoneProxyListener(
              text(entry.path("name"), path + ".name").orElse(""), port));
    }
    return out;
  }

  private <T> Optional<T> agreeing(String pathA, Optional<T> a, String pathB, Optional<T> b) {
    if (a.isPresent() && b.isPresent() && !a.equals(b)) {
      throw fail(
          pathA,
          "is "
              + a.get()
              + " but "
              + pathB
              + " is "
              + b.get()
              + ": write one of them, or the same value");
    }
    return a.or(() -> b);
  }

  private <E> Optional<E> choice(
      JsonNode node, String path, E[] values, java.util.function.Function<E, String> wireName) {
    Optional<String> written = text(node, path);
    if (written.isEmpty()) {
      return Optional.empty();
    }
    for (E value : values) {
      if (wireName.apply(value).equals(written.get())) {
        return Optional.of(value);
      }
    }
    List<String> names = new ArrayList<>();
    for (E value : values) {
      names.add(wireName.apply(value));
    }
    throw fail(
        path, "must be one of " + String.join(", ", names) + ", got '" + written.get() + "'");
  }

  private java.util.SortedMap<String, String> map(JsonNode node, String path) {
    return tree.map(node, path);
  }

  private void object(JsonNode node, String path, Set<String> known) {
    tree.object(node, path, known);
  }

  private List<JsonNode> elements(JsonNode node, String path) {
    return tree.elements(node, path);
  }

  private Optional<String> text(JsonNode node, String path) {
    return tree.text(node, path);
  }

  private Optional<Boolean> bool(JsonNode node, String path) {
    return tree.bool(node, path);
  }

  private Optional<Integer> port(JsonNode node, String path, int min) {
    return tree.port(node, path, min);
  }

  private IllegalArgumentException fail(String path, String message) {
    return tree.fail(path, message);
  }
}
