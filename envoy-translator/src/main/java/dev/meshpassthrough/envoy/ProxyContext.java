package dev.meshpassthrough.envoy;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.KumaLine;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.ProxyFile;
import dev.meshpassthrough.envoy.internal.DefaultTransparentProxy;
import dev.meshpassthrough.envoy.internal.ProxyContextReader;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One proxy, described once: who it is for selection ({@link #selection()}: its Dataplane name,
 * mesh, labels, inbounds, gateway, and the control-plane context) and what the translator needs
 * (its transparent-proxy settings and the listeners and clusters that exist before the policy
 * applies).
 *
 * <p>Immutable. Read one proxy file ({@code examples/proxy.yaml} shows the schema: the conformance
 * corpus' {@code proxy.yaml} extended for selection) with {@link #parse(String, String)} or {@link
 * #read(Path)}: one reading gives both views. Or use {@link #defaultTransparentProxy()}.
 *
 * <p>Whether the policy can apply to the proxy is decided once, by {@link
 * ProxyDescriptor.Outbound#of}: the selection view's {@code outbound()} must agree with the
 * transparent-proxy settings and features here, which the constructor checks.
 *
 * @param dataplaneAddress the Dataplane's {@code networking.address}
 * @param transparentProxy the Dataplane's transparent-proxy settings, empty when it has none
 * @param ipv6Enabled the proxy metadata flag {@code ipv6Enabled}: when false, IPv6 prefixes are
 *     dropped from the HTTP connection manager's internal addresses
 * @param features the proxy's metadata features; with {@value #FEATURE_BIND_OUTBOUNDS} the policy
 *     does not apply
 * @param internalAddresses the control plane's internal address CIDRs; empty means Kuma's default
 *     {@code 127.0.0.1/32} and {@code ::1/128}
 * @param listeners the listeners present before the policy applies, with their origin
 * @param clusters the clusters present before the policy applies, with their origin
 * @param selection the proxy as selection sees it, and the control-plane context its file gives (a
 *     pipeline replaces the context's Kuma line with its own)
 */
public record ProxyContext(
    String dataplaneAddress,
    Optional<TransparentProxy> transparentProxy,
    boolean ipv6Enabled,
    SortedSet<String> features,
    List<String> internalAddresses,
    List<ExistingListener> listeners,
    List<ExistingCluster> clusters,
    ProxyFile selection) {

  /** The feature flag of proxies that bind each outbound to its own address: no passthrough. */
  public static final String FEATURE_BIND_OUTBOUNDS =
      ProxyDescriptor.Outbound.FEATURE_BIND_OUTBOUNDS;

  /** The name of the proxy of a context built without a selection view. */
  public static final String DEFAULT_NAME = "proxy";

  /** The one inbound port of that proxy: the port Kuma gives a Kubernetes pod without a Service. */
  public static final int DEFAULT_INBOUND = 49151;

  /** The origin Kuma's transparent-proxy generator gives the resources it creates. */
  public static final String ORIGIN_TRANSPARENT = "transparent";

  /**
   * Copies the collections and checks the internal addresses, that names are unique, and that the
   * selection view's {@code outbound()} is what these settings make it.
   *
   * @param dataplaneAddress the Dataplane's {@code networking.address}, not null
   * @param transparentProxy the Dataplane's transparent-proxy settings, empty when it has none; not
   *     null
   * @param ipv6Enabled the proxy metadata flag {@code ipv6Enabled}: when false, IPv6 prefixes are
   *     dropped from the HTTP connection manager's internal addresses
   * @param features the proxy's metadata features, in any order; copied into an unmodifiable set
   *     sorted by name; not null, nor any element
   * @param internalAddresses the control plane's internal address CIDRs, such as {@code
   *     10.0.0.0/8}; empty means Kuma's default; copied; not null, nor any element
   * @param listeners the listeners present before the policy applies, with unique names; copied in
   *     the given order; not null, nor any element
   * @param clusters the clusters present before the policy applies, with unique names; copied in
   *     the given order; not null, nor any element
   * @param selection the proxy as selection sees it, whose {@code outbound()} must agree with the
   *     settings above; not null
   * @throws NullPointerException when an argument or an element of a collection is null
   * @throws IllegalArgumentException when an internal address is not a CIDR, two listeners (or two
   *     clusters) share a name, or the selection view disagrees on how outbound traffic reaches the
   *     proxy
   */
  public ProxyContext {
    Objects.requireNonNull(dataplaneAddress, "dataplaneAddress");
    Objects.requireNonNull(transparentProxy, "transparentProxy");
    Objects.requireNonNull(selection, "selection");
    features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
    internalAddresses = List.copyOf(internalAddresses);
    listeners = List.copyOf(listeners);
    clusters = List.copyOf(clusters);
    for (String cidr : internalAddresses) {
      if (Destination.Cidr.tryParse(cidr).isEmpty()) {
        throw new IllegalArgumentException(
            "internal address '" + cidr + "' is not a CIDR such as 10.0.0.0/8");
      }
    }
    requireUniqueNames("listener", listeners.stream().map(l -> l.listener().getName()).toList());
    requireUniqueNames("cluster", clusters.stream().map(c -> c.cluster().getName()).toList());
    ProxyDescriptor.Outbound outbound = outbound(dataplaneAddress, transparentProxy, features);
    if (selection.proxy().outbound() != outbound) {
      throw new IllegalArgumentException(
          "the selection view says outbound traffic reaches the proxy by "
              + selection.proxy().outbound()
              + ", its transparent-proxy settings and features say "
              + outbound);
    }
  }

  /**
   * A context without a selection view of its own: the proxy is sidecar {@value #DEFAULT_NAME} of
   * mesh {@code default} without labels, with one inbound on {@value #DEFAULT_INBOUND}, on a Kuma
   * 2.x zone control plane; its {@code outbound()} follows from the settings given.
   *
   * @param dataplaneAddress the Dataplane's {@code networking.address}
   * @param transparentProxy the transparent-proxy settings, empty when it has none
   * @param ipv6Enabled the proxy metadata flag {@code ipv6Enabled}
   * @param features the proxy's metadata features
   * @param internalAddresses the control plane's internal address CIDRs
   * @param listeners the listeners present before the policy applies
   * @param clusters the clusters present before the policy applies
   * @throws IllegalArgumentException as the canonical constructor
   */
  public ProxyContext(
      String dataplaneAddress,
      Optional<TransparentProxy> transparentProxy,
      boolean ipv6Enabled,
      SortedSet<String> features,
      List<String> internalAddresses,
      List<ExistingListener> listeners,
      List<ExistingCluster> clusters) {
    this(
        dataplaneAddress,
        transparentProxy,
        ipv6Enabled,
        features,
        internalAddresses,
        listeners,
        clusters,
        new ProxyFile(
            ProxyDescriptor.builder(DEFAULT_NAME, "default")
                .inbound(DEFAULT_INBOUND)
                .outbound(outbound(dataplaneAddress, transparentProxy, features))
                .build(),
            ControlPlaneContext.zone(KumaLine.V2)));
  }

  private static ProxyDescriptor.Outbound outbound(
      String dataplaneAddress, Optional<TransparentProxy> transparentProxy, Set<String> features) {
    return transparentProxy
        .map(
            tp ->
                ProxyDescriptor.Outbound.of(
                    features,
                    tp.redirectPortOutbound(),
                    tp.redirectPortInbound(),
                    tp.ipFamilyMode().families(),
                    dataplaneAddress))
        .orElseGet(
            () ->
                ProxyDescriptor.Outbound.of(
                    features, 0, 0, EnumSet.allOf(IpFamily.class), dataplaneAddress));
  }

  /**
   * A dual-stack transparent proxy with nothing but the default outbound passthrough: listeners
   * {@code self_transparentproxy_passthrough_outbound_ipv4} on {@code 0.0.0.0:15001} and {@code
   * ..._ipv6} on {@code [::]:15001} ({@code useOriginalDst}, one catch-all {@code tcp_proxy} chain
   * each) and the {@code ORIGINAL_DST} clusters of the same names; IPv6 enabled, no features, no
   * internal addresses.
   *
   * @return that context, taking the policy; never null
   */
  public static ProxyContext defaultTransparentProxy() {
    return DefaultTransparentProxy.context();
  }

  /**
   * Reads the {@code proxy.yaml} schema of the conformance corpus (YAML or JSON). The {@code
   * envoy:} blocks of {@code existing.listeners} and {@code existing.clusters} are authoritative;
   * the summary fields beside them are accepted and ignored, and so is {@code mesh}.
   *
   * @param text the document
   * @param sourceName names the document in error messages
   * @return the proxy the document describes, never null
   * @throws IllegalArgumentException when the text is not such a document; the message names the
   *     source and the field
   */
  public static ProxyContext parse(String text, String sourceName) {
    return ProxyContextReader.read(text, sourceName);
  }

  /**
   * Reads a {@code proxy.yaml} file; see {@link #parse(String, String)}.
   *
   * @param file the file to read, in UTF-8; its path names it in error messages
   * @return the proxy the file describes, never null
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not such a document
   */
  public static ProxyContext read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Whether the proxy is IPv6, in the sense Kuma 3.x gives its pinned domain clusters: the
   * Dataplane address is IPv6, or transparent proxying is dual-stack. A pinned domain then resolves
   * to any family ({@code dnsLookupFamily} left at {@code AUTO}), else to IPv4 only.
   *
   * @return whether the proxy is IPv6
   */
  public boolean dataplaneIpv6() {
    boolean ipv6Address =
        InetAddresses.isInetAddress(dataplaneAddress)
            && InetAddresses.forString(dataplaneAddress) instanceof Inet6Address;
    boolean dualStack =
        transparentProxy.map(tp -> tp.ipFamilyMode() == IpFamilyMode.DUALSTACK).orElse(false);
    return ipv6Address || dualStack;
  }

  /**
   * Whether transparent proxying is on, as Kuma decides it: a redirect port is set and, in {@code
   * ipv4} mode, the Dataplane address is an IPv4 address.
   *
   * @return whether outbound traffic is redirected to the passthrough listeners (bind-outbounds
   *     aside)
   */
  public boolean transparentProxyEnabled() {
    return outbound(dataplaneAddress, transparentProxy, Set.of())
        == ProxyDescriptor.Outbound.TRANSPARENT_PROXY;
  }

  /**
   * Whether the MeshPassthrough policy can change this proxy: it runs a transparent proxy and does
   * not bind its outbounds. The same decision selection makes ({@link ProxyDescriptor#outbound()}).
   *
   * @return whether the policy applies
   */
  public boolean takesPassthrough() {
    return ProxyDescriptor.Applicability.of(selection.proxy().outbound()).applies();
  }

  /**
   * A copy with other listeners and clusters.
   *
   * @param newListeners the listeners
   * @param newClusters the clusters
   * @return the copy
   */
  public ProxyContext withResources(
      List<ExistingListener> newListeners, List<ExistingCluster> newClusters) {
    return new ProxyContext(
        dataplaneAddress,
        transparentProxy,
        ipv6Enabled,
        features,
        internalAddresses,
        newListeners,
        newClusters,
        selection);
  }

  /**
   * A copy with another selection view, for a proxy built in code.
   *
   * @param newSelection the proxy as selection sees it; its {@code outbound()} must agree with this
   *     context's settings
   * @return the copy
   * @throws IllegalArgumentException when it does not
   */
  public ProxyContext withSelection(ProxyFile newSelection) {
    return new ProxyContext(
        dataplaneAddress,
        transparentProxy,
        ipv6Enabled,
        features,
        internalAddresses,
        listeners,
        clusters,
        newSelection);
  }

  private static void requireUniqueNames(String kind, List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException("two " + kind + "s are named '" + name + "'");
      }
    }
  }

  /** The address families a transparent proxy redirects. */
  public enum IpFamilyMode {
    /** IPv4 only. */
    IPV4,
    /** IPv4 and IPv6. */
    DUALSTACK;

    /**
     * The families redirected.
     *
     * @return IPv4 alone, or both families
     */
    public Set<IpFamily> families() {
      return this == IPV4 ? EnumSet.of(IpFamily.IPV4) : EnumSet.allOf(IpFamily.class);
    }
  }

  /**
   * A Dataplane's {@code networking.transparentProxying}.
   *
   * @param redirectPortOutbound the port outbound traffic is redirected to, 0 when unset
   * @param redirectPortInbound the port inbound traffic is redirected to, 0 when unset
   * @param ipFamilyMode the families redirected
   */
  public record TransparentProxy(
      int redirectPortOutbound, int redirectPortInbound, IpFamilyMode ipFamilyMode) {
    /**
     * Checks the port ranges.
     *
     * @param redirectPortOutbound the port outbound traffic is redirected to, 0 to 65535, 0 when
     *     unset
     * @param redirectPortInbound the port inbound traffic is redirected to, 0 to 65535, 0 when
     *     unset
     * @param ipFamilyMode the families redirected, not null
     * @throws NullPointerException when {@code ipFamilyMode} is null
     * @throws IllegalArgumentException when a port is outside 0 to 65535
     */
    public TransparentProxy {
      Objects.requireNonNull(ipFamilyMode, "ipFamilyMode");
      if (redirectPortOutbound < 0
          || redirectPortOutbound > 65535
          || redirectPortInbound < 0
          || redirectPortInbound > 65535) {
        throw new IllegalArgumentException("redirect ports must be within 0-65535");
      }
    }
  }

  /**
   * A listener that exists before the policy applies.
   *
   * @param origin the generator that made it; the passthrough listeners have {@value
   *     #ORIGIN_TRANSPARENT}
   * @param listener the listener
   */
  public record ExistingListener(String origin, Listener listener) {
    /**
     * Checks for null.
     *
     * @param origin the generator that made the listener, such as {@value #ORIGIN_TRANSPARENT}; not
     *     null
     * @param listener the listener, not null
     * @throws NullPointerException when an argument is null
     */
    public ExistingListener {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(listener, "listener");
    }
  }

  /**
   * A cluster that exists before the policy applies.
   *
   * @param origin the generator that made it
   * @param cluster the cluster
   */
  public record ExistingCluster(String origin, Cluster cluster) {
    /**
     * Checks for null.
     *
     * @param origin the generator that made the cluster, such as {@value #ORIGIN_TRANSPARENT}; not
     *     null
     * @param cluster the cluster, not null
     * @throws NullPointerException when an argument is null
     */
    public ExistingCluster {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(cluster, "cluster");
    }
  }
}
