package dev.meshpassthrough.envoy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link NameOrder} sorts exactly as a stable sort by code points, whichever of its roads a list
 * takes: already in order, keys of 8-bit or 16-bit chars after the shared prefix (with ties left to
 * the names), or code points directly when a surrogate is present.
 */
class NameOrderTest {
  private static final Comparator<String> CODE_POINTS =
      (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

  /** A name with the position it had in the input, to see that equal names keep their order. */
  private record Item(String name, int position) {}

  @Property(tries = 1000)
  void sortsByCodePoints_stably(@ForAll("names") @Size(max = 40) List<String> names) {
    // Stream.sorted, the expectation, is stable on an ordered stream.
    assertSortedByCodePoints(names);
  }

  @Property(tries = 200)
  void manyNamesFromFewChars_sortByCodePoints_throughRoundsOfTies(
      @ForAll("fewChars") @Size(min = 13, max = 400) List<String> names) {
    assertSortedByCodePoints(names);
  }

  @Property(tries = 50)
  void namesThatPeelOffOneARound_sortByCodePoints_pastTheLastRound(@ForAll long seed) {
    // "y", "xxxxxxxy", ...: each round of ties sets one name apart, so 100 names need more rounds
    // than NameOrder takes before it compares what is left.
    List<String> names = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      names.add("x".repeat(k * 7) + "y");
    }
    Collections.shuffle(names, new Random(seed));
    assertSortedByCodePoints(names);
  }

  private static void assertSortedByCodePoints(List<String> names) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      items.add(new Item(names.get(i), i));
    }
    List<Item> expected =
        items.stream().sorted(Comparator.comparing(Item::name, CODE_POINTS)).toList();

    assertThat(NameOrder.sorted(items, Item::name)).containsExactlyElementsOf(expected);
  }

  @Property(tries = 1000)
  void compare_isCodePointOrder(@ForAll("name") String a, @ForAll("name") String b) {
    assertThat(Integer.signum(NameOrder.compare(a, b)))
        .isEqualTo(Integer.signum(CODE_POINTS.compare(a, b)));
  }

  @Test
  void keysTie_beyondTheirSixteenCharacters_andTheNamesDecide() {
    String prefix = "meshpassthrough_tls_";
    List<String> names =
        List.of(
            prefix + "svc9910.team22.example.com_443",
            prefix + "svc9910.team10.example.com_5672",
            prefix + "svc9910.team10.example.com_443",
            prefix + "svc9910.team1",
            prefix + "svc9910.team1\u0000");

    assertThat(NameOrder.sorted(names, n -> n))
        .containsExactly(
            prefix + "svc9910.team1",
            prefix + "svc9910.team1\u0000",
            prefix + "svc9910.team10.example.com_443",
            prefix + "svc9910.team10.example.com_5672",
            prefix + "svc9910.team22.example.com_443");
  }

  @Test
  void wideCharacters_sortAboveLatin1_andSurrogatesAboveTheRestOfTheBmp() {
    List<String> names = List.of("a\uFFFD", "a\uD83D\uDE00", "a\u0100", "a\u00FF", "a");

    assertThat(NameOrder.sorted(names, n -> n))
        .containsExactly("a", "a\u00FF", "a\u0100", "a\uFFFD", "a\uD83D\uDE00");
    assertThat(NameOrder.sorted(List.of("b\u0100", "a\uFFFF", "a\u00FF"), n -> n))
        .containsExactly("a\u00FF", "a\uFFFF", "b\u0100");
  }

  @Test
  void theResult_isUnmodifiable_andANullItemIsRefused() {
    List<String> sorted = NameOrder.sorted(List.of("b", "a"), n -> n);

    assertThatThrownBy(() -> sorted.add("c")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> NameOrder.sorted(Arrays.asList("a", null), String::trim))
        .isInstanceOf(NullPointerException.class);
  }

  @Provide
  Arbitrary<List<String>> names() {
    // Lists that share a prefix (as a translation's names do) or not, of one of the three kinds of
    // chars NameOrder tells apart, and lists that mix them.
    Arbitrary<String> prefix = Arbitraries.of("", "meshpassthrough_", "meshpassthrough_tls_svc");
    Arbitrary<String> alphabet = Arbitraries.of(LATIN1, LATIN1 + WIDE, LATIN1 + WIDE + SURROGATES);
    return Arbitraries.lazy(
        () ->
            prefix.flatMap(
                p -> alphabet.flatMap(chars -> name(chars).map(n -> p + n).list().ofMaxSize(40))));
  }

  @Provide
  Arbitrary<List<String>> fewChars() {
    // Long names of three chars (0 among them) tie in many rounds; some Latin-1 lists, some wide.
    return Arbitraries.of("ab\u0000", "a\u0000\u0100")
        .flatMap(
            chars ->
                Arbitraries.strings()
                    .withChars(chars.toCharArray())
                    .ofMaxLength(30)
                    .map(n -> "meshpassthrough_" + n)
                    .list()
                    .ofMinSize(13)
                    .ofMaxSize(400));
  }

  @Provide
  Arbitrary<String> name() {
    return name(LATIN1 + WIDE + SURROGATES);
  }

  /** Around the 8- and 16-char keys, names of {@code chars}. */
  private static Arbitrary<String> name(String chars) {
    return Arbitraries.strings()
        .withChars(chars.toCharArray())
        .ofMaxLength(20)
        .injectDuplicates(0.2);
  }

  /** Latin-1, 0 and 0xFF included. */
  private static final String LATIN1 = "ab._\u0000\u00E9\u00FF";

  /** Beyond Latin-1, no surrogate. */
  private static final String WIDE = "\u0100\uE000\uFFFD\uFFFF";

  /** A high and a low surrogate, paired or not. */
  private static final String SURROGATES = "\uD83D\uDE00";
}
