package dev.meshpassthrough.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams of one run, so commands can be tested without touching {@link System}.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 */
public record Streams(InputStream in, PrintStream out, PrintStream err) {}
