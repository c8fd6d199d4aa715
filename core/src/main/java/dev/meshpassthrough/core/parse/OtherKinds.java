package dev.meshpassthrough.core.parse;

/**
 * What the parser does with a document of another kind, such as a {@code ConfigMap} written beside
 * the policy in one manifest: a Kubernetes resource whose {@code kind}, or a Universal resource
 * whose {@code type}, is a string that is not {@code MeshPassthrough} and not a near miss of it
 * ({@code meshpassthrough} or {@code MeshPasthrough} are typos, and stay problems in every mode);
 * or a proxy file (a mapping with {@code dataplane} and no field outside the proxy-file schema's
 * top level: {@code dataplane}, {@code proxy}, {@code mesh}, {@code existing}, {@code context}),
 * which can be no policy of any shape.
 */
public enum OtherKinds {
  /** Every document of another kind is a {@link ParseProblem}: the input is not clean. */
  REJECT,
  /**
   * A document of another kind is left out with a note ({@link ParseResult#notes()}) when its input
   * holds several documents or is a file found in a directory: a mixed manifest is read for its
   * policies. An input whose only document is of another kind is still a problem, since it was
   * named to be read as a policy.
   */
  SKIP
}
