package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.diff.AddressSet;
import dev.meshpassthrough.core.diff.EgressClass;
import dev.meshpassthrough.core.diff.EgressDiff;
import dev.meshpassthrough.core.diff.NoEffectEntry;
import dev.meshpassthrough.core.diff.PortSet;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.IpNetwork;
import dev.meshpassthrough.core.model.Port;
import dev.meshpassthrough.core.resolve.AttributedMatch;
import dev.meshpassthrough.core.resolve.MergedConf;
import dev.meshpassthrough.core.resolve.Resolution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code diff} prints: per proxy, the classes the new policies newly allow and newly deny and
 * the entries without effect, named by their policy and index there.
 *
 * <p>Text, per proxy: a line {@code proxy NAME: unchanged} or {@code proxy NAME: W newly allowed, N
 * newly denied}, then one indented line per class ({@code newly allowed: CLASS}, {@code newly
 * denied: CLASS}) and per entry without effect ({@code no effect: new policy P appendMatch[i]
 * ENTRY}). JSON: see {@link DiffCommand}; a class is {@code {"text", "traffic" (any, tls, http,
 * other), "name": {"kind" (any, named, none, exact, wildcard), "pattern" (or null), "except"},
 * "port": {"port" (or null for any port), "except"}, "address": {"family" (IPv4, IPv6 or null for
 * any address), "network" (or null), "except"}}}.
 */
final class DiffReport {
  private final List<ProxyDiff> proxies = new ArrayList<>();

  /** Adds the diff of one proxy between the two resolutions. */
  void add(String proxy, Resolution before, Resolution after) {
    proxies.add(new ProxyDiff(proxy, EgressDiff.between(before, after), before, after));
  }

  boolean anyWidened() {
    return proxies.stream().anyMatch(p -> !p.diff().widened().isEmpty());
  }

  boolean anyChanged() {
    return proxies.stream().anyMatch(p -> !p.diff().unchanged());
  }

  /** The report as text, {@code \n} line ends. */
  String text() {
    StringBuilder out = new StringBuilder();
    for (ProxyDiff proxy : proxies) {
      EgressDiff diff = proxy.diff();
      out.append("proxy ").append(proxy.name()).append(": ");
      if (diff.unchanged()) {
        out.append("unchanged\n");
      } else {
        out.append(diff.widened().size())
            .append(" newly allowed, ")
            .append(diff.narrowed().size())
            .append(" newly denied\n");
      }
      diff.widened()
          .forEach(c -> out.append("  newly allowed: ").append(c.describe()).append('\n'));
      diff.narrowed()
          .forEach(c -> out.append("  newly denied: ").append(c.describe()).append('\n'));
      for (NoEffectEntry entry : diff.noEffect()) {
        out.append("  no effect: ").append(proxy.entryText(entry)).append('\n');
      }
    }
    return out.toString();
  }

  /** The report as a JSON document, keys in a fixed order. */
  String json() {
    List<Object> list = new ArrayList<>();
    for (ProxyDiff proxy : proxies) {
      Map<String, Object> tree = new LinkedHashMap<>();
      tree.put("proxy", proxy.name());
      tree.put("widened", proxy.diff().widened().stream().map(DiffReport::classTree).toList());
      tree.put("narrowed", proxy.diff().narrowed().stream().map(DiffReport::classTree).toList());
      tree.put("unchanged", proxy.diff().unchanged());
      List<Object> noEffect = new ArrayList<>();
      for (NoEffectEntry entry : proxy.diff().noEffect()) {
        Map<String, Object> item = new LinkedHashMap<>();
        AttributedMatch source = proxy.source(entry);
        item.put("side", lower(entry.side().name()));
        item.put("policy", source.policy());
        item.put("index", source.index());
        item.put("entry", entry.match().toString());
        noEffect.add(item);
      }
      tree.put("noEffect", noEffect);
      list.add(tree);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("proxies", list);
    return StructuredOutput.write(root, OutputFormat.json);
  }

  private static Map<String, Object> classTree(EgressClass egressClass) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("text", egressClass.describe());
    tree.put("traffic", lower(egressClass.traffic().name()));
    Map<String, Object> name = new LinkedHashMap<>();
    name.put("kind", lower(egressClass.name().kind().name()));
    name.put("pattern", egressClass.name().pattern().orElse(null));
    name.put("except", egressClass.name().except());
    tree.put("name", name);
    PortSet ports = egressClass.port();
    Map<String, Object> port = new LinkedHashMap<>();
    port.put("port", ports.port().map(Port::value).orElse(null));
    port.put("except", ports.except().stream().map(Port::value).toList());
    tree.put("port", port);
    AddressSet addresses = egressClass.address();
    Map<String, Object> address = new LinkedHashMap<>();
    address.put(
        "family", addresses.family().map(f -> f == IpFamily.IPV4 ? "IPv4" : "IPv6").orElse(null));
    address.put("network", addresses.network().map(IpNetwork::toString).orElse(null));
    address.put("except", addresses.except().stream().map(IpNetwork::toString).toList());
    tree.put("address", address);
    return tree;
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * One proxy's diff, with the resolutions that name each entry's policy.
   *
   * @param name the proxy's Dataplane name
   * @param diff the diff
   * @param before the resolution under the old policies
   * @param after the resolution under the new policies
   */
  private record ProxyDiff(String name, EgressDiff diff, Resolution before, Resolution after) {

    /** The policy and index an entry of the effective conf was written at. */
    AttributedMatch source(NoEffectEntry entry) {
      Resolution resolution = entry.side() == NoEffectEntry.Side.OLD ? before : after;
      Optional<MergedConf> merged = resolution.merged();
      // The effective conf lists the merged entries in order.
      return merged.orElseThrow().entries().get(entry.index());
    }

    /** For example {@code new policy egress appendMatch[1] Domain api.example.com:443/tls}. */
    String entryText(NoEffectEntry entry) {
      AttributedMatch source = source(entry);
      return lower(entry.side().name())
          + " policy "
          + source.policy()
          + " appendMatch["
          + source.index()
          + "] "
          + entry.match();
    }
  }
}
