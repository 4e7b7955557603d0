package io.mps3.spi;

/** The metrics of a client configured without any: records nothing. */
final class NoMetrics implements ClientMetrics, ClientMetrics.Recorder {

  static final NoMetrics INSTANCE = new NoMetrics();

  private NoMetrics() {}

  @Override
  public Recorder clientOpened(Client client) {
    return this;
  }

  @Override
  public String toString() {
    return "ClientMetrics.none()";
  }
}
