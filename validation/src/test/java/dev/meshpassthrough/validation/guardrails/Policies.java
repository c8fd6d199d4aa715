package dev.meshpassthrough.validation.guardrails;

import dev.meshpassthrough.core.model.MeshPassthroughPolicy;
import dev.meshpassthrough.core.parse.ParseResult;
import dev.meshpassthrough.core.parse.PolicyParser;
import dev.meshpassthrough.validation.PolicyValidator;

/** Valid policies from text, and guardrails from text, for the guardrail tests. */
final class Policies {
  private Policies() {}

  /** A Universal policy named {@code name} in mesh default, whose spec is {@code spec}. */
  static MeshPassthroughPolicy universal(String name, String spec) {
    return parse("type: MeshPassthrough\nname: " + name + "\nmesh: default\nspec:\n" + spec);
  }

  /** A Kubernetes policy named {@code name} in {@code namespace}. */
  static MeshPassthroughPolicy kubernetes(String name, String namespace, String spec) {
    return parse(
        "apiVersion: kuma.io/v1alpha1\nkind: MeshPassthrough\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + namespace
            + "\nspec:\n"
            + spec);
  }

  /** A Mesh-wide policy with the given appendMatch entries, one flow mapping per line. */
  static MeshPassthroughPolicy matching(String name, String... entries) {
    StringBuilder spec =
        new StringBuilder("  targetRef: {kind: Mesh}\n  default:\n    appendMatch:\n");
    for (String entry : entries) {
      spec.append("      - ").append(entry).append('\n');
    }
    return universal(name, spec.toString());
  }

  static MeshPassthroughPolicy parse(String text) {
    ParseResult parsed = PolicyParser.create().parse(text, "policy.yaml");
    if (!parsed.isClean()) {
      throw new IllegalArgumentException(parsed.problems().toString());
    }
    return PolicyValidator.create().validate(parsed.documents().get(0)).orElseThrow();
  }

  static Guardrails guardrails(String body) {
    return Guardrails.parse("kind: MeshPassthroughGuardrails\n" + body, "guardrails.yaml")
        .orElseThrow();
  }
}
