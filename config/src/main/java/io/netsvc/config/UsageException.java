package io.netsvc.config;

/** A user error on the command line or in a file; its message is the one line shown. */
final class UsageException extends RuntimeException {

  UsageException(String message) {
    super(message, null, false, false);
  }
}
