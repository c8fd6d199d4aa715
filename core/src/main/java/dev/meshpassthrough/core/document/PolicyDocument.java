package dev.meshpassthrough.core.document;

import dev.meshpassthrough.core.FieldPath;
import dev.meshpassthrough.core.SourceLocation;
import dev.meshpassthrough.core.document.internal.FieldLocations;
import dev.meshpassthrough.core.model.PolicyMetadata;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One MeshPassthrough document as written, in any of the three shapes.
 *
 * <p>Field paths of the spec are rooted at {@code spec} in every shape ({@code
 * spec.default.appendMatch[0].port}), as Kuma reports them.
 *
 * @param format the shape it was written in
 * @param location where the document starts
 * @param name {@code name} (Universal) or {@code metadata.name} (Kubernetes), if present
 * @param namespace {@code metadata.namespace} (Kubernetes), if present
 * @param mesh {@code mesh} (Universal), if present
 * @param labels {@code labels} or {@code metadata.labels}
 * @param spec the spec
 * @param locations where each field was written, keyed by its path from the document root
 */
public record PolicyDocument(
    DocumentFormat format,
    SourceLocation location,
    Optional<String> name,
    Optional<String> namespace,
    Optional<String> mesh,
    SortedMap<String, String> labels,
    WrittenSpec spec,
    Map<FieldPath, SourceLocation> locations) {
  /** Label naming the mesh of a Kubernetes policy. */
  public static final String MESH_LABEL = "kuma.io/mesh";

  /** The mesh a document belongs to when it names none. */
  public static final String DEFAULT_MESH = "default";

  /**
   * Copies the maps.
   *
   * @param format the shape it was written in, never null
   * @param location where the document starts, never null
   * @param name the written name, or empty
   * @param namespace the written namespace, or empty
   * @param mesh the written mesh, or empty
   * @param labels the labels, never null; copied into an unmodifiable map sorted by key
   * @param spec the spec as written, never null
   * @param locations where each field was written, never null; copied into an unmodifiable map (the
   *     parser's own immutable map is kept as it is)
   * @throws NullPointerException if {@code labels} or {@code locations} is null
   */
  public PolicyDocument {
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    // The parser's map is immutable already; copying it held two maps of every field of a large
    // document at once.
    locations =
        locations instanceof FieldLocations
            ? locations
            : Collections.unmodifiableMap(new HashMap<>(locations));
  }

  /**
   * A bare spec document, without metadata.
   *
   * @param location where the document starts; its source also names the policy (see {@link
   *     #coreName()})
   * @param spec the spec as written
   * @return a {@link DocumentFormat#BARE_SPEC} document with no name, namespace, mesh, labels or
   *     field locations
   */
  public static PolicyDocument bareSpec(SourceLocation location, WrittenSpec spec) {
    return new PolicyDocument(
        DocumentFormat.BARE_SPEC,
        location,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        new TreeMap<>(),
        spec,
        Map.of());
  }

  /**
   * The core name Kuma stores the policy under: Universal {@code name}; Kubernetes {@code
   * name.namespace} ({@code name} alone without a namespace); for a bare spec, {@link
   * #bareSpecName(String) the name of its file without the extension}, so that however the path is
   * spelt ({@code x.yaml}, {@code ./x.yaml}, absolute, through a linked directory) the policy has
   * the same name, and so the same rank among equals.
   *
   * <p>A document without a name is named by the source of its location.
   *
   * @return the core name, never null
   */
  public String coreName() {
    if (format == DocumentFormat.BARE_SPEC) {
      return name.orElseGet(() -> bareSpecName(location.source()));
    }
    String base = name.orElseGet(location::source);
    return format == DocumentFormat.KUBERNETES && namespace.isPresent()
        ? base + "." + namespace.get()
        : base;
  }

  /**
   * The name of a bare spec read from {@code source}: its last path segment (after the last {@code
   * /} or {@code \}) without a {@code .yaml}, {@code .yml} or {@code .json} extension, in any case.
   * {@code ./policies/web.yaml}, {@code policies/web.yaml} and {@code /srv/policies/web.yaml} are
   * all {@code web}; a link is named by its own name, not its target's; standard input is {@code
   * <stdin>}.
   *
   * @param source the source name of the document, for example a file path; never null
   * @return the file name without its extension; {@code source} itself when it ends in a separator,
   *     and the file name unchanged when it is nothing but an extension (such as {@code .yaml})
   */
  public static String bareSpecName(String source) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    String file = source.substring(slash + 1);
    String lower = file.toLowerCase(java.util.Locale.ROOT);
    for (String extension : new String[] {".yaml", ".yml", ".json"}) {
      if (lower.endsWith(extension) && lower.length() > extension.length()) {
        return file.substring(0, file.length() - extension.length());
      }
    }
    return file.isEmpty() ? source : file;
  }

  /**
   * The mesh: Universal {@code mesh}, Kubernetes label {@code kuma.io/mesh}, else {@code default}.
   *
   * @return the mesh name, never empty: an empty written mesh also reads as {@value #DEFAULT_MESH}
   */
  public String meshName() {
    Optional<String> written =
        format == DocumentFormat.KUBERNETES ? Optional.ofNullable(labels.get(MESH_LABEL)) : mesh;
    return written.filter(m -> !m.isEmpty()).orElse(DEFAULT_MESH);
  }

  /**
   * The normalised metadata of this document.
   *
   * @return the metadata with {@link #coreName()}, {@link #meshName()}, the namespace and the
   *     labels
   */
  public PolicyMetadata metadata() {
    return new PolicyMetadata(coreName(), meshName(), namespace, labels);
  }

  /**
   * Where the field at {@code path} (or, when it was not written, its nearest written parent) was
   * written.
   *
   * @param path the field, rooted at the document root (for example {@code spec.default}); never
   *     null
   * @return the location of the field or of its nearest written parent, and the location of the
   *     document itself when none of them was recorded; never null
   */
  public SourceLocation locationOf(FieldPath path) {
    FieldPath current = path;
    while (true) {
      SourceLocation found = locations.get(current);
      if (found != null) {
        return found;
      }
      if (current.isRoot()) {
        return location;
      }
      current = current.parent();
    }
  }
}
