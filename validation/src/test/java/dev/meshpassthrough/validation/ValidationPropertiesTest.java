package dev.meshpassthrough.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.document.WrittenMatch;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of the validator over generated policies. */
class ValidationPropertiesTest {
  private final PolicyValidator validator = PolicyValidator.create();

  /**
   * A template entry; the generator gives each a distinct port and value so entries never collide.
   */
  private record Kind(String type, String protocol, boolean portless) {}

  @Provide
  Arbitrary<List<WrittenMatch>> validMatches() {
    Arbitrary<Kind> kinds =
        Arbitraries.of(
            new Kind("Domain", "tls", false),
            new Kind("Domain", "tls", true),
            new Kind("Domain", "http", false),
            new Kind("Domain", "http2", false),
            new Kind("Domain", "grpc", false),
            new Kind("WildcardDomain", "tls", false),
            new Kind("IP", "tcp", false),
            new Kind("IP", "tcp", true),
            new Kind("IP", "mysql", false),
            new Kind("IP", "http", false),
            new Kind("IPv6", "tls", false),
            new Kind("CIDR", "tcp", false),
            new Kind("CIDR", "tcp", true),
            new Kind("CIDRv6", "grpc", false));
    return kinds.list().ofMaxSize(12).map(ValidationPropertiesTest::materialise);
  }

  private static List<WrittenMatch> materialise(List<Kind> kinds) {
    List<WrittenMatch> out = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      Kind kind = kinds.get(i);
      String type = kind.type();
      String value =
          switch (type) {
            case "Domain" -> "svc" + i + ".example.com";
            case "WildcardDomain" -> "*.zone" + i + ".example.com";
            case "IP" -> "10.0." + i + ".1";
            case "IPv6" -> "2001:db8::" + Integer.toHexString(i + 1);
            case "CIDR" -> "10." + (100 + i) + ".0.0/16";
            default -> "2001:db8:" + Integer.toHexString(i + 1) + "::/48";
          };
      String writtenType =
          type.startsWith("IP") ? "IP" : type.startsWith("CIDR") ? "CIDR" : "Domain";
      Optional<BigInteger> port =
          kind.portless() ? Optional.empty() : Optional.of(BigInteger.valueOf(1000 + i));
      out.add(
          new WrittenMatch(
              Optional.of(writtenType), Optional.of(value), port, Optional.of(kind.protocol())));
    }
    return out;
  }

  @Property(tries = 300, seed = "20261126")
  void everyGeneratedValidPolicy_validatesWithoutErrors(
      @ForAll("validMatches") List<WrittenMatch> matches) {
    ValidationResult result =
        validator.validate(Documents.bare(Optional.empty(), "Matched", matches));
    assertThat(result.errors()).isEmpty();
    assertThat(result.orElseThrow().conf().matches()).hasSize(matches.size());
  }

  private record Mutation(String field, int index) {}

  @Provide
  Arbitrary<Object[]> policyWithOneBrokenField() {
    return validMatches()
        .filter(l -> !l.isEmpty())
        .flatMap(
            matches ->
                Combinators.combine(
                        Arbitraries.integers().between(0, matches.size() - 1),
                        Arbitraries.of("type", "value", "port", "protocol"),
                        Arbitraries.of(0, 1))
                    .as(
                        (index, field, variant) ->
                            new Object[] {matches, new Mutation(field, index), variant}));
  }

  @Property(tries = 300, seed = "20261126")
  void breakingOneField_yieldsViolationsAtExactlyThatPath(
      @ForAll("policyWithOneBrokenField") Object[] input) {
    @SuppressWarnings("unchecked")
    List<WrittenMatch> matches = new ArrayList<>((List<WrittenMatch>) input[0]);
    Mutation mutation = (Mutation) input[1];
    int variant = (Integer) input[2];
    WrittenMatch original = matches.get(mutation.index());
    matches.set(mutation.index(), broken(original, mutation.field(), variant));

    ValidationResult result =
        validator.validate(Documents.bare(Optional.empty(), "Matched", matches));

    FieldPath expected =
        FieldPath.of("spec", "default", "appendMatch")
            .index(mutation.index())
            .field(mutation.field());
    assertThat(result.isValid()).isFalse();
    assertThat(result.errors())
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v.path()).isEqualTo(expected));
  }

  private static WrittenMatch broken(WrittenMatch m, String field, int variant) {
    return switch (field) {
      case "type" ->
          new WrittenMatch(
              Optional.of(variant == 0 ? "Host" : "domain"), m.value(), m.port(), m.protocol());
      case "port" ->
          new WrittenMatch(
              m.type(),
              m.value(),
              Optional.of(BigInteger.valueOf(variant == 0 ? 0 : 65536)),
              m.protocol());
      case "protocol" ->
          new WrittenMatch(
              m.type(), m.value(), m.port(), Optional.of(variant == 0 ? "udp" : "HTTP"));
      default ->
          new WrittenMatch(
              m.type(),
              Optional.of(brokenValue(m.type().orElseThrow(), variant)),
              m.port(),
              m.protocol());
    };
  }

  private static String brokenValue(String type, int variant) {
    return switch (type) {
      case "Domain" -> variant == 0 ? "bad..name" : "*.*.example.com";
      case "IP" -> variant == 0 ? "300.1.1.1" : "010.1.1.1";
      default -> variant == 0 ? "10.0.0.0/40" : "10.0.0.0";
    };
  }
}
