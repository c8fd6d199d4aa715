package dev.meshpassthrough.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Entry point of the runnable jar. */
public final class Main {
  private Main() {}

  /**
   * Runs the command line and exits with its exit code; writes UTF-8 whatever the platform's
   * charset.
   */
  public static void main(String[] args) {
    // Not System.out: its charset follows file.encoding, so that a C locale printed '?' for every
    // non-ASCII character and the same run gave different bytes on different machines.
    PrintStream out = utf8(FileDescriptor.out);
    PrintStream err = utf8(FileDescriptor.err);
    int exitCode = MeshPassthroughCommand.run(args, System.in, out, err);
    out.flush();
    err.flush();
    System.exit(exitCode);
  }

  private static PrintStream utf8(FileDescriptor descriptor) {
    return new PrintStream(
        new BufferedOutputStream(new FileOutputStream(descriptor)), true, StandardCharsets.UTF_8);
  }
}
