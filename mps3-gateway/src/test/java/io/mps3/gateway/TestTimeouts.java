package io.mps3.gateway;

import java.time.Duration;

/** The front server's default time limits with one changed, so a test waits on that one only. */
final class TestTimeouts {

  private static final BlockingServer.Timeouts D = BlockingServer.Timeouts.DEFAULT;

  private TestTimeouts() {}

  static BlockingServer.Timeouts withIdle(Duration idle) {
    return new BlockingServer.Timeouts(idle, D.head(), D.body(), D.handshake(), D.grace());
  }

  static BlockingServer.Timeouts withHead(Duration head) {
    return new BlockingServer.Timeouts(D.idle(), head, D.body(), D.handshake(), D.grace());
  }

  static BlockingServer.Timeouts withHandshake(Duration handshake) {
    return new BlockingServer.Timeouts(D.idle(), D.head(), D.body(), handshake, D.grace());
  }
}
