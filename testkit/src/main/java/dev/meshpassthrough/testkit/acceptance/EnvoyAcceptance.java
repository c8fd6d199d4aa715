package dev.meshpassthrough.testkit.acceptance;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.TypeRegistry;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.testkit.acceptance.internal.AcceptanceRun;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.Collection;
import java.util.List;

/**
 * Would Envoy accept this configuration, and would it work as written?
 *
 * <p>{@link #check} returns every problem it finds, in resource order:
 *
 * <ul>
 *   <li>every protoc-gen-validate ({@code validate.rules}) constraint, read reflectively from the
 *       descriptors of Envoy's API, on every message, including those packed in {@code Any};
 *   <li>the listener rules Envoy applies when it builds a listener: at least one chain, unique
 *       chain names, no two chains filing into one leaf of the filter-chain index (after
 *       normalising CIDRs, lowercasing SNI and expanding repeated fields), server-name wildcard
 *       forms, prefix ranges that parse, one terminal network filter placed last;
 *   <li>with a {@code filter_chain_matcher} (Matcher API) instead of legacy matching: named chains,
 *       network inputs only, {@code Ip} ranges that parse, every action naming an existing chain
 *       ({@code trap.matcher-unknown-chain}), and no chain carrying a {@code filter_chain_match}
 *       the matcher makes Envoy ignore ({@code trap.matcher-ignored-match});
 *   <li>route configurations with unique domains and at most one {@code *}, HTTP filters ending in
 *       the router; every cluster a tcp_proxy or route names exists; {@code ORIGINAL_DST} clusters
 *       with {@code CLUSTER_PROVIDED} and no endpoints; unique resource names;
 *   <li>dynamic forward proxies as Envoy 1.40 builds them: the SNI and HTTP filters and the cluster
 *       need a DNS cache, one cache name means one configuration, the cluster needs {@code
 *       CLUSTER_PROVIDED} and, unless {@code allow_insecure_cluster_options}, HTTP protocol options
 *       with {@code auto_sni} and {@code auto_san_validation} (Envoy sets both itself only when the
 *       cluster has no HTTP protocol options at all); an {@code xds.type.v3.TypedStruct} is
 *       converted to the message it names and checked like it;
 *   <li>the accepted-but-wrong traps (rule ids {@code trap.*}): an unset {@code prefix_len}, an
 *       IPv4 prefix over 32, host bits, a range of the other family, an explicit {@code 0.0.0.0/0}
 *       next to prefix-less chains, chains without filters, suffix wildcards ending in {@code :*}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class EnvoyAcceptance {
  private static final TypeRegistry REGISTRY =
      TypeRegistry.newBuilder().add(AcceptanceRun.packedTypes()).build();

  private EnvoyAcceptance() {}

  /**
   * Every problem of {@code listeners} and {@code clusters}, sent together as Envoy would get them.
   *
   * @param listeners the listeners, in the order Envoy would get them; not null, nor any element
   * @param clusters the clusters, in the order Envoy would get them; not null, nor any element
   * @return every problem found, in resource order; unmodifiable, empty when Envoy would accept
   *     everything and no trap is set; never null
   */
  public static List<AcceptanceProblem> check(
      Collection<Listener> listeners, Collection<Cluster> clusters) {
    return new AcceptanceRun(REGISTRY).check(listeners, clusters);
  }

  /**
   * Every problem of a translation's resources.
   *
   * @param resources the translation whose listeners and clusters to check, not null
   * @return every problem found, as {@link #check(Collection, Collection)} returns them; never null
   */
  public static List<AcceptanceProblem> check(TranslationResult resources) {
    return check(resources.listeners(), resources.clusters());
  }

  /**
   * The message types whose {@code Any} packing the check can open.
   *
   * @return the descriptors, in a fixed order; unmodifiable, never null. A message packed with
   *     another type URL is reported as a problem ({@code any.unknown-type})
   */
  public static List<Descriptor> knownPackedTypes() {
    return AcceptanceRun.packedTypes();
  }
}
