package dev.meshpassthrough.core.resolve;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.Problem;
import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.core.model.PolicyMetadata;
import dev.meshpassthrough.core.resolve.internal.KumaLabels;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One data plane proxy as selection sees it (docs/selection-and-merge.md#the-proxy): its identity,
 * stored labels, inbounds and how its outbound traffic is intercepted.
 *
 * <p>Immutable. The labels are the stored labels of the {@code Dataplane}, including those Kuma
 * computes ({@code kuma.io/display-name}, {@code kuma.io/zone}, {@code kuma.io/origin}, {@code
 * k8s.kuma.io/namespace}...); the namespace and zone that selection reads come from them.
 *
 * @param name the core name: Kubernetes {@code <pod>.<namespace>}, Universal the Dataplane name
 * @param mesh the mesh the proxy belongs to
 * @param labels the stored labels
 * @param inbounds the inbounds, whatever their state (ignored and not-ready inbounds count)
 * @param listeners Kuma 3.x: listeners embedded in a zone-proxy Dataplane; they count as inbounds
 *     there and are ignored by Kuma 2.x
 * @param gateway which gateway the proxy is, if any
 * @param gatewayTags Kuma 2.x: the tags of a gateway, read by {@code MeshSubset}
 * @param outbound how outbound traffic reaches the proxy, which decides whether the policy can
 *     apply
 */
public record ProxyDescriptor(
    String name,
    String mesh,
    SortedMap<String, String> labels,
    List<Inbound> inbounds,
    List<ZoneProxyListener> listeners,
    GatewayKind gateway,
    SortedMap<String, String> gatewayTags,
    Outbound outbound) {

  /**
   * Copies the collections into sorted, unmodifiable ones.
   *
   * @param name the core name, never null
   * @param mesh the mesh, never null
   * @param labels the stored labels, never null; copied, sorted by key
   * @param inbounds the inbounds in Dataplane order, never null; copied
   * @param listeners the zone-proxy listeners in Dataplane order, never null; copied
   * @param gateway which gateway the proxy is, {@link GatewayKind#NONE} for a sidecar; never null
   * @param gatewayTags the gateway's tags, never null (empty when not a gateway); copied, sorted by
   *     key
   * @param outbound how outbound traffic reaches the proxy, never null
   * @throws NullPointerException when a component or a collection element is null
   */
  public ProxyDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(outbound, "outbound");
    labels = sorted(labels);
    inbounds = List.copyOf(inbounds);
    listeners = List.copyOf(listeners);
    gatewayTags = sorted(gatewayTags);
  }

  /**
   * A builder for the proxy {@code name} of {@code mesh}: by default without labels, inbounds,
   * listeners or gateway, with a transparent proxy.
   *
   * @param name the core name of the proxy, never null
   * @param mesh the mesh the proxy belongs to, never null
   * @return a new builder
   * @throws NullPointerException when {@code name} or {@code mesh} is null
   */
  public static Builder builder(String name, String mesh) {
    return new Builder(name, mesh);
  }

  /**
   * The {@code kuma.io/display-name} label, or the core name when it is missing or empty.
   *
   * @return the name that selection compares a targetRef's {@code name} (Kuma 2.x) or its {@code
   *     kuma.io/display-name} label (Kuma 3.x) with; never null
   */
  public String displayName() {
    String label = labels.get(PolicyMetadata.DISPLAY_NAME_LABEL);
    return label == null || label.isEmpty() ? name : label;
  }

  /**
   * The {@code k8s.kuma.io/namespace} label, if set and not empty.
   *
   * @return the Kubernetes namespace of the proxy, empty when the label is missing or empty
   */
  public Optional<String> namespace() {
    return KumaLabels.get(labels, KumaLabels.NAMESPACE);
  }

  /**
   * The {@code kuma.io/zone} label, if set and not empty.
   *
   * @return the zone of the proxy, empty when the label is missing or empty
   */
  public Optional<String> zone() {
    return KumaLabels.get(labels, KumaLabels.ZONE);
  }

  /**
   * Whether the MeshPassthrough plugin can change this proxy's configuration under {@code line}
   * (docs/selection-and-merge.md#proxies-the-plugin-skips): the one decision the resolver's {@link
   * Outcome.Kind#NOT_APPLIED} rests on, for a translator to share. It does not look at policies: a
   * proxy the plugin skips keeps its resources whatever selects it.
   *
   * @param line the Kuma line of the control plane
   * @return {@link Applicability#APPLIES}, or why the plugin skips the proxy
   */
  public Applicability passthroughApplicability(KumaLine line) {
    Applicability byOutbound = Applicability.of(outbound);
    return byOutbound.applies() && line == KumaLine.V2 && gateway == GatewayKind.BUILTIN
        ? Applicability.BUILTIN_GATEWAY
        : byOutbound;
  }

  private static SortedMap<String, String> sorted(Map<String, String> map) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }

  /**
   * One inbound of the Dataplane.
   *
   * @param port the port
   * @param name the inbound's name, if any
   * @param tags Kuma 2.x: the inbound's tags, read by {@code MeshSubset}
   */
  public record Inbound(int port, Optional<String> name, SortedMap<String, String> tags) {
    /**
     * Checks the port and copies the tags.
     *
     * @param port the port, 1-65535
     * @param name the inbound's name, or empty
     * @param tags the inbound's tags, never null; copied, sorted by key
     * @throws IllegalArgumentException when {@code port} is outside 1-65535
     * @throws NullPointerException when {@code name} or {@code tags} is null
     */
    public Inbound {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("inbound port must be within 1-65535, got " + port);
      }
      Objects.requireNonNull(name, "name");
      tags = sorted(tags);
    }

    /**
     * An inbound on {@code port} without a name or tags.
     *
     * @param port the port, 1-65535
     * @return the inbound, whose section name is the port in decimal
     * @throws IllegalArgumentException when {@code port} is outside 1-65535
     */
    public static Inbound of(int port) {
      return new Inbound(port, Optional.empty(), new TreeMap<>());
    }

    /**
     * The section name a targetRef can name: the inbound's name, or the port in decimal.
     *
     * @return the name when present and not empty, else the port, for example {@code 8080}
     */
    public String sectionName() {
      return name.filter(n -> !n.isEmpty()).orElse(Integer.toString(port));
    }
  }

  /**
   * Kuma 3.x: a listener embedded in a zone-proxy Dataplane.
   *
   * @param name the listener's name
   * @param port its port
   */
  public record ZoneProxyListener(String name, int port) {
    /**
     * Checks for null and the port's range.
     *
     * @param name the listener's name, never null
     * @param port its port, 1-65535
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when {@code port} is outside 1-65535
     */
    public ZoneProxyListener {
      Objects.requireNonNull(name, "name");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("listener port must be within 1-65535, got " + port);
      }
    }
  }

  /** Which gateway a proxy is. */
  public enum GatewayKind {
    /** A sidecar. */
    NONE("none"),
    /**
     * A delegated gateway (Kong, Contour...) with its own Envoy config: selected without inbounds.
     */
    DELEGATED("delegated"),
    /** Kuma 2.x only: Kuma's builtin gateway, which MeshPassthrough does not support. */
    BUILTIN("builtin");

    private final String wireName;

    GatewayKind(String wireName) {
      this.wireName = wireName;
    }

    /**
     * The spelling in proxy files.
     *
     * @return {@code none}, {@code delegated} or {@code builtin}
     */
    public String wireName() {
      return wireName;
    }
  }

  /**
   * Whether the plugin can change a proxy's configuration, and if not why, in Kuma's words (its
   * warning) and in a sentence of our own; see {@link #passthroughApplicability(KumaLine)}.
   */
  public enum Applicability {
    /** A transparent proxy that is not a Kuma 2.x builtin gateway: the plugin applies. */
    APPLIES(Optional.empty(), ""),
    /** No transparent proxy: there is no outbound passthrough to change. */
    NO_TRANSPARENT_PROXY(
        Optional.of(Rule.NO_TRANSPARENT_PROXY),
        "the proxy runs without a transparent proxy, so it has no outbound passthrough"),
    /**
     * {@code feature-bind-outbounds}: each outbound has its own address, there is no passthrough.
     */
    BIND_OUTBOUNDS(
        Optional.of(Rule.NO_TRANSPARENT_PROXY),
        "the proxy has feature-bind-outbounds, so it has no outbound passthrough"),
    /** Kuma 2.x: a builtin gateway, which the plugin does not support. */
    BUILTIN_GATEWAY(
        Optional.of(Rule.BUILTIN_GATEWAY),
        "the proxy is a builtin gateway, which MeshPassthrough does not support");

    private final Optional<Rule> rule;
    private final String reason;

    Applicability(Optional<Rule> rule, String reason) {
      this.rule = rule;
      this.reason = reason;
    }

    /**
     * The part of the decision that depends on how outbound traffic reaches the proxy alone, which
     * is all a translator given one proxy can know (the builtin-gateway skip is selection's).
     *
     * @param outbound how outbound traffic reaches the proxy
     * @return {@link #APPLIES} for a transparent proxy, else why the plugin skips the proxy
     */
    public static Applicability of(Outbound outbound) {
      return switch (outbound) {
        case NO_TRANSPARENT_PROXY -> NO_TRANSPARENT_PROXY;
        case BIND_OUTBOUNDS -> BIND_OUTBOUNDS;
        case TRANSPARENT_PROXY -> APPLIES;
      };
    }

    /**
     * Whether the plugin applies.
     *
     * @return {@code this == APPLIES}
     */
    public boolean applies() {
      return rule.isEmpty();
    }

    /**
     * Why the plugin skips the proxy, in a sentence of meshpassthrough's: for example {@code the
     * proxy has feature-bind-outbounds, so it has no outbound passthrough}.
     *
     * @return the sentence, empty for {@link #APPLIES}
     */
    public String reason() {
      return reason;
    }

    /**
     * Kuma's warning for a skipped proxy, the text of {@link Outcome#reason()} under {@link
     * Outcome.Kind#NOT_APPLIED}: rule {@code kuma.resolve.proxy.no-transparent-proxy} ({@code
     * policy doesn't support proxy running without transparent-proxy}, also for bind-outbounds) or
     * {@code kuma.resolve.proxy.builtin-gateway} ({@code policy doesn't support builtin gateway}).
     *
     * @return the warning, severity WARNING, said of no policy; empty for {@link #APPLIES}
     */
    public Optional<Problem> kumaWarning() {
      return rule.map(r -> Problem.of(r.id, Severity.WARNING, r.text));
    }

    /** Kuma's warnings for skipped proxies. */
    private enum Rule {
      NO_TRANSPARENT_PROXY(
          "kuma.resolve.proxy.no-transparent-proxy",
          "policy doesn't support proxy running without transparent-proxy"),
      BUILTIN_GATEWAY(
          "kuma.resolve.proxy.builtin-gateway", "policy doesn't support builtin gateway");

      private final String id;
      private final String text;

      Rule(String id, String text) {
        this.id = id;
        this.text = text;
      }
    }
  }

  /** How outbound traffic reaches the proxy; the policy changes only transparent proxies. */
  public enum Outbound {
    /** A transparent proxy redirects outbound traffic to the passthrough listeners. */
    TRANSPARENT_PROXY,
    /** No transparent proxy: there is no outbound passthrough. */
    NO_TRANSPARENT_PROXY,
    /**
     * The proxy binds each outbound to its own loopback address ({@code feature-bind-outbounds}).
     */
    BIND_OUTBOUNDS;

    /** The proxy metadata feature of proxies that bind their outbounds. */
    public static final String FEATURE_BIND_OUTBOUNDS = "feature-bind-outbounds";

    /**
     * How outbound traffic reaches a proxy, as Kuma decides it: {@link #BIND_OUTBOUNDS} with the
     * feature {@value #FEATURE_BIND_OUTBOUNDS}; else {@link #TRANSPARENT_PROXY} when a redirect
     * port is set and the transparent proxy redirects the Dataplane address's family (in {@code
     * ipv4} mode, a Dataplane address that is not an IPv4 literal turns it off); else {@link
     * #NO_TRANSPARENT_PROXY}. The one place this is decided: the proxy-file reader and the
     * translator's {@code ProxyContext} both ask it.
     *
     * @param features the proxy's metadata features
     * @param redirectPortOutbound the outbound redirect port, 0 when unset
     * @param redirectPortInbound the inbound redirect port, 0 when unset
     * @param redirectedFamilies the families the transparent proxy redirects: IPv4 alone ({@code
     *     ipv4} mode) or both ({@code dualstack})
     * @param dataplaneAddress the Dataplane's {@code networking.address}
     * @return how outbound traffic reaches the proxy
     */
    public static Outbound of(
        Collection<String> features,
        int redirectPortOutbound,
        int redirectPortInbound,
        Set<IpFamily> redirectedFamilies,
        String dataplaneAddress) {
      if (features.contains(FEATURE_BIND_OUTBOUNDS)) {
        return BIND_OUTBOUNDS;
      }
      if (redirectPortOutbound == 0 && redirectPortInbound == 0) {
        return NO_TRANSPARENT_PROXY;
      }
      if (redirectedFamilies.contains(IpFamily.IPV6)) {
        return TRANSPARENT_PROXY;
      }
      boolean ipv4 =
          dataplaneAddress.indexOf('%') < 0
              && IpLiteral.parse(dataplaneAddress).isPresent()
              && InetAddresses.forString(dataplaneAddress) instanceof Inet4Address;
      return ipv4 ? TRANSPARENT_PROXY : NO_TRANSPARENT_PROXY;
    }
  }

  /** Builds a {@link ProxyDescriptor}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String mesh;
    private final SortedMap<String, String> labels = new TreeMap<>();
    private final List<Inbound> inbounds = new ArrayList<>();
    private final List<ZoneProxyListener> listeners = new ArrayList<>();
    private final SortedMap<String, String> gatewayTags = new TreeMap<>();
    private GatewayKind gateway = GatewayKind.NONE;
    private Outbound outbound = Outbound.TRANSPARENT_PROXY;

    private Builder(String name, String mesh) {
      this.name = Objects.requireNonNull(name, "name");
      this.mesh = Objects.requireNonNull(mesh, "mesh");
    }

    /**
     * Adds labels.
     *
     * @param more the labels to add, never null and without null keys or values; a key already set
     *     takes the new value
     * @return this builder
     */
    public Builder labels(Map<String, String> more) {
      labels.putAll(more);
      return this;
    }

    /**
     * Adds one label.
     *
     * @param key the label key, never null
     * @param value the label value, never null; replaces any value already set for {@code key}
     * @return this builder
     */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /**
     * Adds an inbound.
     *
     * @param inbound the inbound, never null; inbounds keep the order they are added in
     * @return this builder
     */
    public Builder inbound(Inbound inbound) {
      inbounds.add(Objects.requireNonNull(inbound, "inbound"));
      return this;
    }

    /**
     * Adds an inbound on {@code port} without a name or tags.
     *
     * @param port the port, 1-65535
     * @return this builder
     * @throws IllegalArgumentException when {@code port} is outside 1-65535
     */
    public Builder inbound(int port) {
      return inbound(Inbound.of(port));
    }

    /**
     * Adds a zone-proxy listener (Kuma 3.x).
     *
     * @param listener the listener, never null; listeners keep the order they are added in
     * @return this builder
     */
    public Builder listener(ZoneProxyListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Sets the gateway kind.
     *
     * @param kind which gateway the proxy is, never null; {@link GatewayKind#NONE} unless set
     * @return this builder
     * @throws NullPointerException when {@code kind} is null
     */
    public Builder gateway(GatewayKind kind) {
      gateway = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /**
     * Adds gateway tags (Kuma 2.x MeshSubset).
     *
     * @param tags the tags to add, never null and without null keys or values; a key already set
     *     takes the new value
     * @return this builder
     */
    public Builder gatewayTags(Map<String, String> tags) {
      gatewayTags.putAll(tags);
      return this;
    }

    /**
     * Sets how outbound traffic reaches the proxy.
     *
     * @param value how outbound traffic reaches the proxy, never null; {@link
     *     Outbound#TRANSPARENT_PROXY} unless set
     * @return this builder
     * @throws NullPointerException when {@code value} is null
     */
    public Builder outbound(Outbound value) {
      outbound = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * The proxy.
     *
     * @return a new descriptor of what was set so far; the builder can go on being used
     * @throws NullPointerException when a null inbound or listener was added
     */
    public ProxyDescriptor build() {
      return new ProxyDescriptor(
          name, mesh, labels, inbounds, listeners, gateway, gatewayTags, outbound);
    }
  }
}
