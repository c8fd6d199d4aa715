package dev.meshpassthrough.validation.guardrails;

import dev.meshpassthrough.core.Severity;
import dev.meshpassthrough.core.model.IpFamily;
import dev.meshpassthrough.core.model.Protocol;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of one guardrails file, as read: each is empty when the file leaves it out, which turns
 * it off. Every list is copied and immutable.
 */
record Rules(
    Optional<ModeAll> modeAll,
    Optional<WidestPrefix> widestPrefix,
    Optional<Forbidden> forbidden,
    Optional<AllowedSuffixes> allowedSuffixes,
    Optional<Severity> requirePort,
    Optional<Protocols> protocols,
    Optional<MaxEntries> maxEntries,
    Optional<Selection> selection) {

  /** passthroughMode All: forbidden, except in the listed meshes, namespaces and policies. */
  record ModeAll(
      Severity severity, List<String> meshes, List<String> namespaces, List<String> policies) {
    ModeAll {
      meshes = List.copyOf(meshes);
      namespaces = List.copyOf(namespaces);
      policies = List.copyOf(policies);
    }
  }

  /** The widest prefix allowed per family; a family left out is not limited. */
  record WidestPrefix(Severity severity, Optional<Integer> ipv4, Optional<Integer> ipv6) {
    Optional<Integer> of(IpFamily family) {
      return family == IpFamily.IPV4 ? ipv4 : ipv6;
    }
  }

  /** Networks no entry may overlap, with the text each was written as. */
  record Forbidden(Severity severity, List<Written<Block>> networks) {
    Forbidden {
      networks = List.copyOf(networks);
    }
  }

  /** The domain suffixes allowed, lower case. */
  record AllowedSuffixes(Severity severity, List<String> suffixes) {
    AllowedSuffixes {
      suffixes = List.copyOf(suffixes);
    }
  }

  /** The protocols allowed. */
  record Protocols(Severity severity, Set<Protocol> allowed) {
    Protocols {
      allowed = Set.copyOf(allowed);
    }
  }

  /** Maximum entries per policy and per proxy (its merged conf); either may be left out. */
  record MaxEntries(Severity severity, Optional<Integer> perPolicy, Optional<Integer> perProxy) {}

  /** The labels (and inbound tags) only operators set. */
  record Selection(Severity severity, Set<String> trustedLabels) {
    Selection {
      trustedLabels = Set.copyOf(trustedLabels);
    }
  }

  /** A value with the text it was written as. */
  record Written<T>(String text, T value) {}
}
