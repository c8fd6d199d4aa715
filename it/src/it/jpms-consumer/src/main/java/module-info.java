module dev.example.consumer {
  requires dev.meshpassthrough.envoy;
}
