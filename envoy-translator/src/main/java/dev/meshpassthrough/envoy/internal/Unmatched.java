package dev.meshpassthrough.envoy.internal;

import dev.meshpassthrough.core.model.IpFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to traffic no rule of the policy allows: the one decision every place that writes it
 * asks.
 */
public enum Unmatched {
  /** It is refused. */
  DENY;

  /**
   * Handles the clusters of the transparent proxy's default passthrough, which would pass any
   * destination: {@link #DENY} removes them.
   *
   * @param resources the translation's resources
   * @return the names of the clusters removed, in the order of the families and names
   */
  public List<String> removeDefaultClusters(ResourceSet resources) {
    return switch (this) {
      case DENY -> {
        List<String> removed = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
          for (String name : Naming.passthroughNames(family)) {
            if (resources.removeCluster(name)) {
              removed.add(name);
            }
          }
        }
        yield removed;
      }
    };
  }
}
