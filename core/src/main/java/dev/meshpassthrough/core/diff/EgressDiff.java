package dev.meshpassthrough.core.diff;

import dev.meshpassthrough.core.model.Match;
import dev.meshpassthrough.core.model.PassthroughConf;
import dev.meshpassthrough.core.model.PassthroughMode;
import dev.meshpassthrough.core.resolve.ControlPlaneContext;
import dev.meshpassthrough.core.resolve.Outcome;
import dev.meshpassthrough.core.resolve.PolicyResolver;
import dev.meshpassthrough.core.resolve.PolicySet;
import dev.meshpassthrough.core.resolve.ProxyDescriptor;
import dev.meshpassthrough.core.resolve.Resolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a change of a proxy's MeshPassthrough conf does to its egress, by intent: the connections
 * the new conf allows and the old one denies ({@link #widened()}), those the old one allows and the
 * new one denies ({@link #narrowed()}), and the entries of either side that change nothing.
 *
 * <p>The intent is the exact semantics the testkit's {@code PolicyIntent} defines: mode {@code All}
 * allows every connection, {@code None} none, {@code Matched} those some entry covers; an IP or
 * CIDR entry covers by dialed address (its family only), a Domain entry by SNI or Host (ignoring
 * case; {@code *.x} is not {@code x}), whatever the address; {@code tcp} and {@code mysql} cover
 * any traffic, {@code tls} a ClientHello, {@code http}, {@code http2} and {@code grpc} plaintext
 * HTTP/1.x or h2c; a port-less entry covers every port. The comparison is computed exactly, not
 * sampled: the connection space is cut by every port, network and name either conf names (plus
 * "anything else" in each dimension), each piece is decided on both sides, and the differing pieces
 * are merged into as few classes as the cuts allow. A connection's intent differs between the two
 * confs exactly when it falls in one of the classes, on the side that allows it.
 *
 * <p>Immutable and thread-safe; equal inputs give equal diffs, classes in a fixed order.
 *
 * @param widened classes of connections the new conf allows and the old one denies, disjoint
 * @param narrowed classes of connections the old conf allows and the new one denies, disjoint
 * @param noEffect entries whose removal would not change their own side's intent, old side first,
 *     by index
 */
public record EgressDiff(
    List<EgressClass> widened, List<EgressClass> narrowed, List<NoEffectEntry> noEffect) {

  /**
   * Copies the lists.
   *
   * @param widened classes the new side newly allows; copied; not null, nor any element
   * @param narrowed classes the new side newly denies; copied; not null, nor any element
   * @param noEffect entries without effect; copied; not null, nor any element
   * @throws NullPointerException when a list or an element is null
   */
  public EgressDiff {
    widened = List.copyOf(widened);
    narrowed = List.copyOf(narrowed);
    noEffect = List.copyOf(noEffect);
  }

  /**
   * Compares the intent of two effective confs of one proxy.
   *
   * @param oldConf the conf before the change, not null; an absent mode means {@code Matched}
   * @param newConf the conf after the change, not null
   * @return the difference, never null
   * @throws NullPointerException when an argument is null
   */
  public static EgressDiff between(PassthroughConf oldConf, PassthroughConf newConf) {
    Objects.requireNonNull(oldConf, "oldConf");
    Objects.requireNonNull(newConf, "newConf");
    IntentComparison comparison = IntentComparison.of(oldConf, newConf);
    ClassCompaction compaction = new ClassCompaction(comparison.space());
    List<NoEffectEntry> noEffect = new ArrayList<>();
    addEntries(NoEffectEntry.Side.OLD, oldConf.matches(), comparison.oldWithoutEffect(), noEffect);
    addEntries(NoEffectEntry.Side.NEW, newConf.matches(), comparison.newWithoutEffect(), noEffect);
    return new EgressDiff(
        compaction.classes(comparison.widened()),
        compaction.classes(comparison.narrowed()),
        noEffect);
  }

  /**
   * Compares what two resolutions of one proxy let its non-mesh traffic do; see {@link
   * #egressConf(Resolution)}.
   *
   * @param oldResolution the proxy under the policies before the change, not null
   * @param newResolution the proxy under the policies after the change, not null
   * @return the difference, never null
   * @throws NullPointerException when an argument is null
   */
  public static EgressDiff between(Resolution oldResolution, Resolution newResolution) {
    return between(egressConf(oldResolution), egressConf(newResolution));
  }

  /**
   * Resolves {@code proxy} under each policy set with {@link PolicyResolver#create()} and compares
   * the results: what a control plane shows before it applies a change.
   *
   * @param oldPolicies every stored policy before the change, not null
   * @param newPolicies every stored policy after the change, not null
   * @param proxy the proxy, not null
   * @param context the control plane, whose Kuma line decides selection and merge; not null
   * @return the difference, never null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the proxy cannot exist under the context's Kuma line
   */
  public static EgressDiff forProxy(
      PolicySet oldPolicies,
      PolicySet newPolicies,
      ProxyDescriptor proxy,
      ControlPlaneContext context) {
    PolicyResolver resolver = PolicyResolver.create();
    return between(
        resolver.resolve(oldPolicies, proxy, context),
        resolver.resolve(newPolicies, proxy, context));
  }

  /**
   * The conf a resolution's non-mesh traffic follows: the effective conf when the plugin runs (also
   * for an outcome {@link Outcome.Kind#TRANSLATION_ERROR}: what the policies mean), else the
   * default passthrough, which allows everything, unless the outcome blocks all.
   *
   * @param resolution the resolution, not null
   * @return the effective conf, or a conf of mode {@code None} for {@link Outcome.Kind#BLOCK_ALL},
   *     else of mode {@code All}
   */
  public static PassthroughConf egressConf(Resolution resolution) {
    return resolution
        .effective()
        .orElseGet(
            () ->
                PassthroughConf.of(
                    resolution.outcome().kind() == Outcome.Kind.BLOCK_ALL
                        ? PassthroughMode.NONE
                        : PassthroughMode.ALL,
                    List.of()));
  }

  /**
   * Whether both confs mean the same for every connection.
   *
   * @return true when nothing is widened nor narrowed
   */
  public boolean unchanged() {
    return widened.isEmpty() && narrowed.isEmpty();
  }

  private static void addEntries(
      NoEffectEntry.Side side,
      List<Match> matches,
      List<Integer> indexes,
      List<NoEffectEntry> out) {
    for (int index : indexes) {
      out.add(new NoEffectEntry(side, index, matches.get(index)));
    }
  }
}
