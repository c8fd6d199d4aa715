package dev.meshpassthrough.validation;

import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.PolicyDocument;
import dev.meshpassthrough.core.document.WrittenConf;
import dev.meshpassthrough.core.document.WrittenMatch;
import dev.meshpassthrough.core.document.WrittenSpec;
import dev.meshpassthrough.core.document.WrittenTargetRef;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/** Builds as-written documents for tests without going through text. */
final class Documents {
  private Documents() {}

  static WrittenMatch match(String type, String value, Integer port, String protocol) {
    return new WrittenMatch(
        Optional.ofNullable(type),
        Optional.ofNullable(value),
        Optional.ofNullable(port).map(BigInteger::valueOf),
        Optional.ofNullable(protocol));
  }

  static PolicyDocument bare(String mode, WrittenMatch... matches) {
    return bare(Optional.of(WrittenTargetRef.ofKind("Mesh")), mode, List.of(matches));
  }

  static PolicyDocument bare(
      Optional<WrittenTargetRef> targetRef, String mode, List<WrittenMatch> matches) {
    WrittenConf conf = new WrittenConf(Optional.ofNullable(mode), Optional.of(matches));
    return PolicyDocument.bareSpec(
        SourceLocation.of("test"), new WrittenSpec(targetRef, Optional.of(conf)));
  }
}
