package dev.meshpassthrough.envoy.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.model.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every name and text the translator writes: filter chains, route configurations, clusters,
 * statistics, the no-match virtual host and its body, and the names of the transparent proxy's
 * default passthrough resources.
 *
 * @param prefix what chain and cluster names start with
 * @param noMatchVirtualHost the name of the catch-all virtual host of HTTP chains that answers 503
 * @param noMatchBody the body of its 503 response
 */
public record Naming(String prefix, String noMatchVirtualHost, String noMatchBody) {

  /** Kuma's names and texts, exactly. */
  public static final Naming KUMA =
      new Naming(
          "meshpassthrough",
          "no_match",
          "This response comes from Kuma Sidecar. No routes matched this domain - check configuration of your MeshPassthrough policy.\n");

  /** The exact profile's default 503 body: neutral, no product named. */
  public static final String EXACT_NO_MATCH_BODY =
      "No MeshPassthrough rule allows this destination.\n";

  /** The exact profile's names, with the given 503 body. */
  public static Naming exact(String noMatchBody) {
    return new Naming("meshpassthrough", "no_match", noMatchBody);
  }

  /**
   * {@code <prefix>_<port|*>_<network|*>_<leaf>}: a chain of the exact profile, unique on its
   * listener because (port, IP node, leaf) is; an empty port is every port.
   */
  public String exactChainName(Optional<Port> port, Optional<String> node, String leaf) {
    // The port as an int operand: the concatenation writes its digits, no string of its own.
    String nodeText = node.orElse("*");
    return port.isPresent()
        ? prefix + "_" + port.get().value() + "_" + nodeText + "_" + leaf
        : prefix + "_*_" + nodeText + "_" + leaf;
  }

  /**
   * {@code <prefix>_<protocol>_<value>_<port|*>}: the cluster of one entry in the exact profile.
   */
  public String exactClusterName(Protocol protocol, String value, Optional<Port> port) {
    return port.isPresent()
        ? prefix + "_" + protocol.wireName() + "_" + value + "_" + port.get().value()
        : prefix + "_" + protocol.wireName() + "_" + value + "_*";
  }

  private static String portName(Optional<Port> port) {
    return port.map(p -> Integer.toString(p.value())).orElse("*");
  }

  /**
   * {@code <prefix>_port_<port>_<ipv4|ipv6>}: the listener a passthrough listener hands a port off
   * to.
   */
  public String handOffPortListenerName(IpFamily family, int port) {
    return prefix + "_port_" + port + "_" + (family == IpFamily.IPV4 ? "ipv4" : "ipv6");
  }

  /** {@code <prefix>_<address>_<port>}: the listener of one address of a handed-off port. */
  public String handOffAddressListenerName(String address, int port) {
    return prefix + "_" + address + "_" + port;
  }

  /**
   * {@code <prefix>_audit_<port|*>_<network|*>_<traffic>}: an audit chain of the exact profile,
   * unique on its listener because (port, IP node, traffic) is.
   */
  public String auditChainName(Optional<Port> port, Optional<String> node, String traffic) {
    return auditPrefix() + "_" + portName(port) + "_" + node.orElse("*") + "_" + traffic;
  }

  /**
   * {@code <prefix>_audit[_http]_<port|other>_<ipv4|ipv6>}: the cluster that takes audited traffic
   * of one port (or of the ports no entry names) and family, so that its statistics count would-be
   * denials per port and family; {@code _http} for requests routed by an HTTP connection manager.
   */
  public String auditClusterName(Optional<Port> port, IpFamily family, boolean http) {
    return auditPrefix()
        + (http ? "_http_" : "_")
        + port.map(p -> Integer.toString(p.value())).orElse("other")
        + "_"
        + (family == IpFamily.IPV4 ? "ipv4" : "ipv6");
  }

  /** {@code <prefix>_audit}: what every name of audit configuration starts with. */
  public String auditPrefix() {
    return prefix + "_audit";
  }

  /** The chain that closes every connection of a listener no entry applies to. */
  public String denyChainName() {
    return prefix + "_deny";
  }

  /** The port as it appears in names: the number, or {@code *} for every port (0). */
  public static String portName(int port) {
    return port == 0 ? "*" : Integer.toString(port);
  }

  /** The protocol as it appears in names: Kuma names {@code mysql} chains as {@code tcp}. */
  public static String protocolName(Protocol protocol) {
    return protocol == Protocol.MYSQL ? Protocol.TCP.wireName() : protocol.wireName();
  }

  /**
   * {@code <prefix>_<protocol>_<value>_<port|*>}: the chain of one destination, and its cluster.
   */
  public String chainName(Protocol protocol, String value, int port) {
    return prefix + "_" + protocolName(protocol) + "_" + value + "_" + portName(port);
  }

  /** {@code <prefix>_<protocol>_<port|*>}: an HTTP chain that routes several domains by Host. */
  public String aggregatedChainName(Protocol protocol, int port) {
    return prefix + "_" + protocolName(protocol) + "_" + portName(port);
  }

  /** The cluster a destination's traffic goes to: the name of its own chain. */
  public String clusterName(Protocol protocol, String value, int port) {
    return chainName(protocol, value, port);
  }

  /**
   * The statistics name of {@code name}: every character outside {@code [a-zA-Z0-9_-]} replaced by
   * {@code _}, as Kuma's {@code SanitizeMetric} does.
   */
  public static String statName(String name) {
    byte[] sanitised = sanitisedIfChanged(name);
    return sanitised == null ? name : new String(sanitised, StandardCharsets.ISO_8859_1);
  }

  /**
   * {@link #statName} of {@code name} as its ASCII bytes when sanitising changes it, else null: a
   * cluster's {@code alt_stat_name}, set as bytes, which serializing the cluster copies instead of
   * encoding again (as it does a field set from a {@code String}), with no {@code String} made.
   */
  public static @Nullable ByteString alteredStatName(String name) {
    byte[] sanitised = sanitisedIfChanged(name);
    // The array is this class's own and never changes after: no copy.
    return sanitised == null ? null : UnsafeByteOperations.unsafeWrap(sanitised);
  }

  /** The statistics name of {@code name} as ASCII bytes, or null when it is {@code name} itself. */
  private static byte @Nullable [] sanitisedIfChanged(String name) {
    // Latin-1 text (every name in practice) is copied out as bytes in one go and sanitised in
    // place; the result is ASCII, as every char kept is and every other becomes '_'.
    byte[] out = name.getBytes(StandardCharsets.ISO_8859_1);
    if (out.length != name.length()) {
      // A surrogate pair became one '?': replace char by char, each half of the pair with '_'.
      return sanitisedByChar(name);
    }
    boolean changed = false;
    for (int i = 0; i < out.length; i++) {
      if (!KEPT_IN_STAT_NAME[out[i] & 0xff]) {
        // Beyond Latin-1, getBytes wrote '?', which is replaced too.
        out[i] = '_';
        changed = true;
      }
    }
    return changed ? out : null;
  }

  private static byte[] sanitisedByChar(String name) {
    byte[] out = new byte[name.length()];
    for (int i = 0; i < out.length; i++) {
      char c = name.charAt(i);
      out[i] = c < 128 && KEPT_IN_STAT_NAME[c] ? (byte) c : (byte) '_';
    }
    return out;
  }

  /** Which Latin-1 characters a statistics name keeps: {@code [a-zA-Z0-9_-]}. */
  private static final boolean[] KEPT_IN_STAT_NAME = new boolean[256];

  static {
    for (char c = 0; c < 128; c++) {
      KEPT_IN_STAT_NAME[c] =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
    }
  }

  /**
   * The names of the outbound passthrough listener of a family, current first, then legacy; the
   * clusters of the default passthrough carry the same names.
   */
  public static List<String> passthroughNames(IpFamily family) {
    String suffix = family == IpFamily.IPV4 ? "ipv4" : "ipv6";
    return List.of(
        "self_transparentproxy_passthrough_outbound_" + suffix, "outbound:passthrough:" + suffix);
  }

  /** The statistics prefix of the default passthrough's catch-all tcp_proxy. */
  public static String passthroughStatPrefix(IpFamily family) {
    return "outbound_passthrough_" + (family == IpFamily.IPV4 ? "ipv4" : "ipv6");
  }
}
