package dev.meshpassthrough.envoy.internal.exact;

import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.envoy.DomainPinning;
import dev.meshpassthrough.envoy.Encoding;
import dev.meshpassthrough.envoy.PassthroughTranslator;
import dev.meshpassthrough.envoy.ProxyContext;
import dev.meshpassthrough.envoy.TranslationResult;
import dev.meshpassthrough.envoy.internal.ChainBudget;
import dev.meshpassthrough.envoy.internal.ClusterCollector;
import dev.meshpassthrough.envoy.internal.Naming;
import dev.meshpassthrough.envoy.internal.PassthroughListeners;
import dev.meshpassthrough.envoy.internal.PolicyApplicability;
import dev.meshpassthrough.envoy.internal.ResourceSet;
import dev.meshpassthrough.envoy.internal.TranslationRules;
import dev.meshpassthrough.envoy.internal.Unmatched;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The translator of the {@code EXACT} profile: Envoy's decision equals the policy's intent for
 * every connection (see {@link ExactPlanner}), and the output refers to no cluster it removed.
 * Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code All}: nothing changes.
 *   <li>{@code None}, or {@code Matched} without entries: the default passthrough clusters go, and
 *       each passthrough listener keeps one chain that closes every connection ({@link
 *       Unmatched#onlyChain}, as for everything else no rule allows).
 *   <li>{@code Matched}: the default passthrough clusters go and both passthrough listeners are
 *       rebuilt from the plan (a listener no entry applies to gets the closing chain).
 * </ul>
 *
 * <p>The plan is written in one of two encodings: {@link Encoding#LEGACY}, the decision table as
 * chains with {@code filter_chain_match} ({@link ExactPlanner}), or {@link Encoding#MATCHER}, one
 * chain per rule and a {@code filter_chain_matcher} ({@link MatcherPlanner}, {@link
 * MatcherEncoder}). Both use the same chain bodies, clusters and listener filters, and both hand
 * off the ports where server-first traffic behind a {@code tcp} or {@code mysql} IP rule would
 * otherwise wait for the listener-filter timeout ({@link HandOffPlanner}): those ports' chains move
 * to listeners that are not bound and that the passthrough listener's {@code use_original_dst}
 * hands connections to.
 */
final class ExactPassthroughTranslator implements PassthroughTranslator {
  private final Naming naming;
  private final Encoding encoding;
  private final long maxOutputBytes;
  private final Unmatched unmatched;
  private final DomainPinning pinning;
  private final String auditLogPath;

  private ExactPassthroughTranslator(
      Naming naming,
      Encoding encoding,
      long maxOutputBytes,
      Unmatched unmatched,
      DomainPinning pinning,
      String auditLogPath) {
    this.naming = naming;
    this.encoding = encoding;
    this.maxOutputBytes = maxOutputBytes;
    this.unmatched = unmatched;
    this.pinning = pinning;
    this.auditLogPath = auditLogPath;
  }

  /**
   * The translator of the exact profile.
   *
   * @param naming the names and texts to write, the 503 body among them
   * @param encoding how chains are selected
   * @param maxOutputBytes the bound on the encoded size of what one translation builds
   * @param unmatched what happens to traffic no rule allows
   * @param pinning where the traffic of Domain entries goes
   * @param auditLogPath where Envoy writes the audit log under {@link Unmatched#AUDIT}
   * @return a stateless, thread-safe translator
   */
  static ExactPassthroughTranslator create(
      Naming naming,
      Encoding encoding,
      long maxOutputBytes,
      Unmatched unmatched,
      DomainPinning pinning,
      String auditLogPath) {
    return new ExactPassthroughTranslator(
        Objects.requireNonNull(naming, "naming"),
        Objects.requireNonNull(encoding, "encoding"),
        maxOutputBytes,
        Objects.requireNonNull(unmatched, "unmatched"),
        Objects.requireNonNull(pinning, "pinning"),
        Objects.requireNonNull(auditLogPath, "auditLogPath"));
  }

  @Override
  public TranslationResult translate(PassthroughConf effectiveConf, ProxyContext proxy) {
    Objects.requireNonNull(effectiveConf, "effectiveConf");
    Objects.requireNonNull(proxy, "proxy");
    ResourceSet resources = ResourceSet.of(proxy, maxOutputBytes);
    ChainBudget budget = resources.budget();
    if (PolicyApplicability.leavesResourcesAsTheyAre(effectiveConf, proxy, resources)) {
      return resources.result();
    }
    PassthroughMode mode = effectiveConf.effectiveMode();
    List<Match> matches = effectiveConf.matches();
    unmatched.removeDefaultClusters(resources);
    if (mode == PassthroughMode.NONE && !matches.isEmpty()) {
      resources.note(TranslationRules.modeNoneIgnoresMatches(matches.size()));
    }
    List<Match> applied = mode == PassthroughMode.MATCHED ? matches : List.of();
    DomainUpstreams upstreams = DomainUpstreams.of(pinning, proxy, naming);
    upstreams.problems(applied).forEach(resources::note);
    ExactChainFactory factory =
        new ExactChainFactory(
            naming,
            PassthroughListeners.internalAddresses(proxy),
            unmatched,
            upstreams,
            auditLogPath,
            applied.size());
    ClusterCollector clusters = new ClusterCollector(applied.size());
    ExactPlanner.DomainTables domainTables = new ExactPlanner.DomainTables();
    List<Listener> existing = resources.listeners();
    for (IpFamily family : IpFamily.values()) {
      Optional<Listener> listener = PassthroughListeners.of(proxy, family);
      if (listener.isEmpty()) {
        continue;
      }
      Listener.Builder builder =
          listener.get().toBuilder()
              .clearFilterChains()
              .clearDefaultFilterChain()
              .clearFilterChainMatcher();
      List<Listener> handOffListeners = new ArrayList<>();
      List<ExactLeaf.Entry> relevant = ExactLeaf.relevant(applied, family);
      if (encoding == Encoding.MATCHER) {
        MatcherPlanner.ListenerPlan plan = MatcherPlanner.planEntries(relevant);
        HandOffPlanner.HandOffPlan handOff =
            handOff(relevant, family, plan.inspection(), existing, listener.get(), resources);
        SortedMap<Integer, List<MatcherPlanner.ListEntry>> staying = new TreeMap<>(plan.ports());
        for (int port : handOff.ports().keySet()) {
          MatcherPlanner.ListenerPlan portPlan =
              new MatcherPlanner.ListenerPlan(
                  new TreeMap<>(Map.of(port, staying.remove(port))), List.of(), plan.inspection());
          MatcherEncoder.Encoded encoded =
              new MatcherEncoder(factory, budget, unmatched, family).encode(portPlan);
          clusters.addAll(encoded.clusters());
          handOffListeners.add(
              HandOffListeners.portListener(
                  naming,
                  unmatched,
                  listener.get(),
                  family,
                  port,
                  encoded.chains(),
                  encoded.matcher()));
        }
        MatcherEncoder.Encoded encoded =
            new MatcherEncoder(factory, budget, unmatched, family)
                .encode(
                    new MatcherPlanner.ListenerPlan(staying, plan.otherPorts(), plan.inspection()));
        clusters.addAll(encoded.clusters());
        if (encoded.matcher().isPresent()) {
          builder
              .addAllFilterChains(encoded.chains())
              .setFilterChainMatcher(encoded.matcher().get());
        } else {
          builder.addFilterChains(onlyChain(factory, family, clusters));
        }
        ExactListenerFilters.apply(builder, plan.inspection(), handOff.ports().keySet());
        addressListeners(handOff, factory, family, budget, clusters, handOffListeners);
      } else {
        ExactPlanner.ListenerPlan plan =
            ExactPlanner.planEntries(relevant, budget, unmatched.completesTable(), domainTables);
        HandOffPlanner.HandOffPlan handOff =
            handOff(relevant, family, plan.inspection(), existing, listener.get(), resources);
        List<FilterChain> chains = new ArrayList<>();
        SortedMap<Integer, List<FilterChain>> handedOff = new TreeMap<>();
        for (ExactPlanner.ChainPlan chainPlan : plan.chains()) {
          ExactChainFactory.Written written = factory.write(chainPlan, family);
          budget.chain(written.chain());
          clusters.addAll(written.clusters());
          if (handOff.handsOff(chainPlan.port())) {
            handedOff
                .computeIfAbsent(chainPlan.port().orElseThrow().value(), p -> new ArrayList<>())
                .add(written.chain());
          } else {
            chains.add(written.chain());
          }
        }
        if (chains.isEmpty()) {
          chains.add(onlyChain(factory, family, clusters));
        }
        builder.addAllFilterChains(chains);
        unmatched.defaultChain(naming).ifPresent(builder::setDefaultFilterChain);
        ExactListenerFilters.apply(builder, plan.inspection(), handOff.ports().keySet());
        handedOff.forEach(
            (port, portChains) ->
                handOffListeners.add(
                    HandOffListeners.portListener(
                        naming,
                        unmatched,
                        listener.get(),
                        family,
                        port,
                        portChains,
                        Optional.empty())));
        addressListeners(handOff, factory, family, budget, clusters, handOffListeners);
      }
      resources.putListener(builder.build());
      handOffListeners.forEach(resources::putListener);
    }
    resources.putPolicyClusters(clusters);
    return resources.result();
  }

  /** The addresses and ports handed off to listeners of their own; notes what is withheld. */
  private static HandOffPlanner.HandOffPlan handOff(
      List<ExactLeaf.Entry> relevant,
      IpFamily family,
      Inspection inspection,
      List<Listener> existing,
      Listener listener,
      ResourceSet resources) {
    HandOffPlanner.HandOffPlan handOff =
        HandOffPlanner.plan(relevant, family, inspection, existing, listener.getName());
    handOff
        .withheld()
        .ifPresent(
            text ->
                resources.note(TranslationRules.warning(TranslationRules.HANDOFF_WITHHELD, text)));
    return handOff;
  }

  /**
   * The only chain of a listener no entry applies to: {@link Unmatched} decides; under audit, one
   * that forwards and logs every connection, whose cluster joins {@code clusters}.
   */
  private FilterChain onlyChain(
      ExactChainFactory factory, IpFamily family, ClusterCollector clusters) {
    return unmatched.onlyChain(
        naming,
        () -> {
          ExactChainFactory.Written written =
              factory.write(
                  new ExactPlanner.ChainPlan(
                      Optional.empty(),
                      Optional.empty(),
                      new ExactLeaf.Audit(ExactLeaf.AuditTraffic.ANY, Optional.empty())),
                  family);
          clusters.addAll(written.clusters());
          return written.chain();
        });
  }

  /** The listeners of the handed-off addresses, one chain each, with their clusters. */
  private void addressListeners(
      HandOffPlanner.HandOffPlan handOff,
      ExactChainFactory factory,
      IpFamily family,
      ChainBudget budget,
      ClusterCollector clusters,
      List<Listener> into) {
    handOff
        .ports()
        .forEach(
            (port, plans) ->
                plans.forEach(
                    plan -> {
                      ExactChainFactory.Written written = factory.write(plan, family);
                      budget.chain(written.chain());
                      clusters.addAll(written.clusters());
                      into.add(
                          HandOffListeners.addressListener(
                              naming, plan.node().orElseThrow(), port, written.chain()));
                    }));
  }
}
