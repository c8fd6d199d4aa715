package dev.meshpassthrough.cli.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The inputs the determinism and concurrency tests share: valid policies, and the small hostile
 * cases.
 */
final class TestInputs {
  private TestInputs() {}

  /** The valid policies of {@code hostile/valid/}, in path order. */
  static List<Path> validPolicies() {
    try (var files = Files.list(resource("valid"))) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The valid policy with every destination type and protocol. */
  static Path everyKind() {
    return resource("valid/universal-every-kind.yaml");
  }

  /** The committed hostile inputs (not the generated big ones), in manifest order. */
  static List<Path> smallHostileInputs() {
    return HostileCase.all().stream()
        .filter(c -> !c.isGenerated())
        .map(c -> c.materialize(Path.of("unused")))
        .toList();
  }

  /** The valid policies, then the small hostile inputs. */
  static List<Path> all() {
    return Stream.concat(validPolicies().stream(), smallHostileInputs().stream()).toList();
  }

  private static Path resource(String name) {
    try {
      return Path.of(
          Objects.requireNonNull(TestInputs.class.getResource("/hostile/" + name), name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
