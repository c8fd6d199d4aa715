package dev.meshpassthrough.envoy;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpLiteral;
import dev.meshpassthrough.envoy.internal.DefaultTransparentProxy;
import dev.meshpassthrough.envoy.internal.ProxyContextReader;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One proxy as the translator sees it: its transparent-proxy settings and the listeners and
 * clusters that exist before the policy applies.
 *
 * <p>Immutable. Read one from the conformance corpus' {@code proxy.yaml} schema with {@link
 * #parse(String, String)} or {@link #read(Path)}, or use {@link #defaultTransparentProxy()}.
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
 */
public record ProxyContext(
    String dataplaneAddress,
    Optional<TransparentProxy> transparentProxy,
    boolean ipv6Enabled,
    SortedSet<String> features,
    List<String> internalAddresses,
    List<ExistingListener> listeners,
    List<ExistingCluster> clusters) {

  /** The feature flag of proxies that bind each outbound to its own address: no passthrough. */
  public static final String FEATURE_BIND_OUTBOUNDS = "feature-bind-outbounds";
  /** The origin Kuma's transparent-proxy generator gives the resources it creates. */
  public static final String ORIGIN_TRANSPARENT = "transparent";

  /**
   * Copies the collections and checks the internal addresses and that names are unique.
   *
   * @throws IllegalArgumentException when an internal address is not a CIDR, or two listeners (or
   *     two clusters) share a name
   */
  public ProxyContext {
    Objects.requireNonNull(dataplaneAddress, "dataplaneAddress");
    features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
    internalAddresses = List.copyOf(internalAddresses);
    listeners = List.copyOf(listeners);
    clusters = List.copyOf(clusters);
    for (String cidr : internalAddresses) {
      if (Destination.Cidr.tryParse(cidr).isEmpty()) {
        throw new IllegalArgumentException("internal address '" + cidr + "' is not a CIDR such as 10.0.0.0/8");
      }
    }
    requireUniqueNames("listener", listeners.stream().map(l -> l.listener().getName()).toList());
    requireUniqueNames("cluster", clusters.stream().map(c -> c.cluster().getName()).toList());
  }

  /**
   * A dual-stack transparent proxy with nothing but the default outbound passthrough: listeners
   * {@code self_transparentproxy_passthrough_outbound_ipv4} on {@code 0.0.0.0:15001} and {@code
   * ..._ipv6} on {@code [::]:15001} ({@code useOriginalDst}, one catch-all {@code tcp_proxy} chain
   * each) and the {@code ORIGINAL_DST} clusters of the same names; IPv6 enabled, no features, no
   * internal addresses.
   */
  public static ProxyContext defaultTransparentProxy() {
    return DefaultTransparentProxy.context();
  }

  /**
   * Reads the {@code proxy.yaml} schema of the conformance corpus (YAML or JSON). The {@code envoy:}
   * blocks of {@code existing.listeners} and {@code existing.clusters} are authoritative; the
   * summary fields beside them are accepted and ignored, and so is {@code mesh}.
   *
   * @param text the document
   * @param sourceName names the document in error messages
   * @throws IllegalArgumentException when the text is not such a document; the message names the
   *     source and the field
   */
  public static ProxyContext parse(String text, String sourceName) {
    return ProxyContextReader.read(text, sourceName);
  }

  /**
   * Reads a {@code proxy.yaml} file; see {@link #parse(String, String)}.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not such a document
   */
  public static ProxyContext read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Whether transparent proxying is on, as Kuma decides it: a redirect port is set and, in {@code
   * ipv4} mode, the Dataplane address is an IPv4 address.
   */
  public boolean transparentProxyEnabled() {
    return transparentProxy.map(tp -> tp.isEnabledFor(dataplaneAddress)).orElse(false);
  }

  /** A copy with other listeners and clusters. */
  public ProxyContext withResources(List<ExistingListener> newListeners, List<ExistingCluster> newClusters) {
    return new ProxyContext(dataplaneAddress, transparentProxy, ipv6Enabled, features, internalAddresses, newListeners, newClusters);
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
    DUALSTACK
  }

  /**
   * A Dataplane's {@code networking.transparentProxying}.
   *
   * @param redirectPortOutbound the port outbound traffic is redirected to, 0 when unset
   * @param redirectPortInbound the port inbound traffic is redirected to, 0 when unset
   * @param ipFamilyMode the families redirected
   */
  public record TransparentProxy(int redirectPortOutbound, int redirectPortInbound, IpFamilyMode ipFamilyMode) {
    /** Checks the port ranges. */
    public TransparentProxy {
      Objects.requireNonNull(ipFamilyMode, "ipFamilyMode");
      if (redirectPortOutbound < 0 || redirectPortOutbound > 65535 || redirectPortInbound < 0 || redirectPortInbound > 65535) {
        throw new IllegalArgumentException("redirect ports must be within 0-65535");
      }
    }

    boolean isEnabledFor(String dataplaneAddress) {
      if (redirectPortOutbound == 0 && redirectPortInbound == 0) {
        return false;
      }
      return ipFamilyMode == IpFamilyMode.DUALSTACK
          || (dataplaneAddress.indexOf('%') < 0 && IpLiteral.parse(dataplaneAddress).isPresent() && InetAddresses.forString(dataplaneAddress) instanceof Inet4Address);
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
    /** Checks for null. */
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
    /** Checks for null. */
    public ExistingCluster {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(cluster, "cluster");
    }
  }
}
