package dev.meshpassthrough.envoy.internal.kuma;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import dev.meshpassthrough.core.model.Destination;
import dev.meshpassthrough.core.model.IpLiteral;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The duplicate-chain check's canonical address text skips parsing text of digits and dots: such
 * text is either no address or a dotted quad that is its own canonical text. Pinned against parsing
 * and printing every time, so a parser that starts taking leading zeros or short forms fails here.
 */
class DuplicateChainCheckCanonicalTest {

  @Property(tries = 3000)
  void digitsAndDots_areCanonicalAsWritten(@ForAll("digitsAndDots") String text) {
    assertThat(DuplicateChainCheck.canonical(text)).isEqualTo(parsedAndPrinted(text));
  }

  /** The check takes a CIDR chain's prefix range, its network text, as canonical unparsed. */
  @Property(tries = 2000)
  void networkText_isItsOwnCanonicalText(@ForAll("cidrs") String cidr) {
    String networkText = Destination.Cidr.parse(cidr).networkText();

    assertThat(parsedAndPrinted(networkText)).isEqualTo(networkText);
  }

  @Test
  void otherText_isParsedAndPrinted() {
    assertThat(DuplicateChainCheck.canonical("2001:DB8:0:0::1")).isEqualTo("2001:db8::1");
    assertThat(DuplicateChainCheck.canonical("::ffff:10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(DuplicateChainCheck.canonical("10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(DuplicateChainCheck.canonical("010.0.0.1")).isEqualTo("010.0.0.1");
    assertThat(DuplicateChainCheck.canonical("example.com")).isEqualTo("example.com");
  }

  @Provide
  Arbitrary<String> digitsAndDots() {
    Arbitrary<String> octet =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 300).map(String::valueOf),
            Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(4));
    return octet.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join(".", parts));
  }

  @Provide
  Arbitrary<String> cidrs() {
    Arbitrary<String> v6 =
        Arbitraries.integers()
            .between(0, 0xffff)
            .list()
            .ofSize(8)
            .map(
                parts ->
                    String.join(":", parts.stream().map(Integer::toHexString).toList())
                        .replaceFirst("(^|:)0(:0)+(:|$)", "::"));
    Arbitrary<String> v4 =
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofSize(4)
            .map(parts -> String.join(".", parts.stream().map(String::valueOf).toList()));
    Arbitrary<String> mapped = v4.map(a -> "::ffff:" + a);
    return Arbitraries.oneOf(
            v6.flatMap(a -> Arbitraries.integers().between(0, 128).map(p -> a + "/" + p)),
            v4.flatMap(a -> Arbitraries.integers().between(0, 32).map(p -> a + "/" + p)),
            mapped.flatMap(a -> Arbitraries.integers().between(0, 128).map(p -> a + "/" + p)))
        .filter(text -> Destination.Cidr.tryParse(text).isPresent());
  }

  private static String parsedAndPrinted(String address) {
    return IpLiteral.parse(address).isPresent()
        ? InetAddresses.toAddrString(InetAddresses.forString(address))
        : address;
  }
}
