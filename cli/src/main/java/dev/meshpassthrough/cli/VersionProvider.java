package dev.meshpassthrough.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}: the jar's implementation version. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = MeshPassthroughCommand.class.getPackage().getImplementationVersion();
    return new String[] {"meshpassthrough " + (version == null ? "(development build)" : version)};
  }

  /**
   * The jar's implementation version, or {@code development} when run from classes (tests, an IDE).
   */
  static String version() {
    String version = MeshPassthroughCommand.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
