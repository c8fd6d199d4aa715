package dev.meshpassthrough.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link FieldPath} against the model it had to keep: a list of segments (field names and indexes),
 * compared element by element, hashed as {@link List#hashCode()} spread by a constant.
 */
class FieldPathTest {

  @Test
  void rendersFieldsDottedAndIndexesInBrackets() {
    FieldPath path = FieldPath.of("spec", "default", "appendMatch").index(3).field("port");

    assertThat(path).hasToString("spec.default.appendMatch[3].port");
    assertThat(FieldPath.root()).hasToString("");
    assertThat(FieldPath.root().index(0).field("a")).hasToString("[0].a");
  }

  @Test
  void pathsBuiltByDifferentRoutes_areEqualWithEqualHashes() {
    FieldPath byFields = FieldPath.of("spec").field("default").field("appendMatch").index(12);
    FieldPath byUnder =
        FieldPath.of("appendMatch").index(12).under(FieldPath.of("spec", "default"));
    FieldPath byParent = byFields.field("value").parent();

    assertThat(byUnder).isEqualTo(byFields).hasSameHashCodeAs(byFields);
    assertThat(byParent).isEqualTo(byFields).hasSameHashCodeAs(byFields);
    assertThat(byFields.compareTo(byUnder)).isZero();
  }

  @Test
  void aFieldNamedLikeAnIndex_isNotThatIndex() {
    assertThat(FieldPath.of("a", "0")).isNotEqualTo(FieldPath.of("a").index(0));
    assertThat(FieldPath.of("a").index(0).compareTo(FieldPath.of("a", "0"))).isNegative();
  }

  @Test
  void indexesSortNumerically_andAPrefixSortsFirst() {
    FieldPath list = FieldPath.of("appendMatch");

    assertThat(list.index(2).compareTo(list.index(10))).isNegative();
    assertThat(list.compareTo(list.index(0))).isNegative();
    assertThat(list.index(0).field("value").compareTo(list.index(0))).isPositive();
  }

  @Test
  @SuppressWarnings("NullAway") // a null name is the caller mistake under test
  void rootHasNoParentNoLastFieldAndPrefixesEveryPath() {
    FieldPath root = FieldPath.root();

    assertThat(root.parent()).isSameAs(root);
    assertThat(root.isRoot()).isTrue();
    assertThat(root.lastField()).isEmpty();
    assertThat(FieldPath.of("spec").index(1).lastField()).isEmpty();
    assertThat(FieldPath.of("spec").index(1).startsWith(root)).isTrue();
    assertThat(FieldPath.of("spec", "targetRef").startsWith(FieldPath.of("spec", "default")))
        .isFalse();
    assertThat(FieldPath.of("spec").startsWith(FieldPath.of("spec", "default"))).isFalse();
    assertThatThrownBy(() -> root.index(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> root.field(null)).isInstanceOf(NullPointerException.class);
  }

  @Property(tries = 500, seed = "20261205")
  void behavesAsItsListOfSegments(
      @ForAll("segments") List<Object> a, @ForAll("segments") List<Object> b) {
    FieldPath pathA = build(a);
    FieldPath pathB = build(b);

    assertThat(pathA.hashCode()).isEqualTo(a.hashCode() * 0x9E3779B9);
    assertThat(pathA.equals(pathB)).isEqualTo(a.equals(b));
    assertThat(Integer.signum(pathA.compareTo(pathB))).isEqualTo(Integer.signum(compare(a, b)));
    assertThat(pathA.startsWith(pathB))
        .isEqualTo(a.size() >= b.size() && a.subList(0, b.size()).equals(b));
    assertThat(pathB.under(pathA)).isEqualTo(build(concat(a, b)));
    assertThat(pathA.toString()).isEqualTo(render(a));
  }

  @Provide
  Arbitrary<List<Object>> segments() {
    Arbitrary<Object> segment =
        Arbitraries.oneOf(
            Arbitraries.of("spec", "default", "appendMatch", "port", "0", "").map(s -> s),
            Arbitraries.integers().between(0, 12).map(i -> i));
    return segment.list().ofMaxSize(5);
  }

  private static FieldPath build(List<Object> segments) {
    FieldPath path = FieldPath.root();
    for (Object segment : segments) {
      path = segment instanceof Integer i ? path.index(i) : path.field((String) segment);
    }
    return path;
  }

  private static List<Object> concat(List<Object> a, List<Object> b) {
    List<Object> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The order FieldPath documents: names lexicographically, indexes numerically, index first. */
  private static int compare(List<Object> a, List<Object> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c;
      if (x instanceof Integer ix && y instanceof Integer iy) {
        c = Integer.compare(ix, iy);
      } else if (x instanceof String sx && y instanceof String sy) {
        c = sx.compareTo(sy);
      } else {
        c = x instanceof Integer ? -1 : 1;
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static String render(List<Object> segments) {
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Integer) {
        out.append('[').append(segment).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(segment);
      }
    }
    return out.toString();
  }
}
