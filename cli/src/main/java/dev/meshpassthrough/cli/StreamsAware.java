package dev.meshpassthrough.cli;

/** A command that is handed the streams of its run before it executes. */
interface StreamsAware {
  void setStreams(Streams streams);
}
