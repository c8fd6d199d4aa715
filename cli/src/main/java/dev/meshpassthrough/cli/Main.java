package dev.meshpassthrough.cli;

/** Entry point of the runnable jar. */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(MeshPassthroughCommand.run(args, System.in, System.out, System.err));
  }
}
