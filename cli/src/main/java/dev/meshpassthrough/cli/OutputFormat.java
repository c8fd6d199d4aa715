package dev.meshpassthrough.cli;

/** The {@code --output} formats. */
enum OutputFormat {
  text,
  yaml,
  json
}
