package dev.meshpassthrough.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Resources are sorted by the code points of their names, whatever the characters: the fast path
 * that compares UTF-16 units must agree with code-point order, which differs from it only when a
 * surrogate is involved.
 */
class TranslationResultOrderTest {
  private static final Comparator<String> CODE_POINTS =
      (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

  @Property(tries = 300)
  void resources_areSortedByCodePoints(
      @ForAll @Size(max = 12)
          List<
                  @StringLength(max = 6)
                  @Chars({
                    'a', 'b', '_', '\uD83D', '\uDE00', '\uFFFD', '\uE000', '\uD800', '\uDC00'
                  })
                  String>
              names) {
    TranslationResult result =
        new TranslationResult(
            names.stream().map(n -> Listener.newBuilder().setName(n).build()).toList(),
            names.stream().map(n -> Cluster.newBuilder().setName(n).build()).toList(),
            List.of());
    List<String> expected = names.stream().sorted(CODE_POINTS).toList();
    assertThat(result.listeners().stream().map(Listener::getName))
        .containsExactlyElementsOf(expected);
    assertThat(result.clusters().stream().map(Cluster::getName))
        .containsExactlyElementsOf(expected);
  }
}
