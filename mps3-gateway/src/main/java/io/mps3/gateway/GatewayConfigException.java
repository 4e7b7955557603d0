package io.mps3.gateway;

/**
 * A gateway configuration the gateway cannot start with. The message names the file, the line and
 * the problem, never a secret's value.
 *
 * @since 0.1
 */
public final class GatewayConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  GatewayConfigException(String message) {
    super(message);
  }

  GatewayConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
