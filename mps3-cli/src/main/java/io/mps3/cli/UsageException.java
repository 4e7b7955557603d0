package io.mps3.cli;

/** Bad input from the user: exit code 2 with the message on one line. */
final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
