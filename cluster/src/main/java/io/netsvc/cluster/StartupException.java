package io.netsvc.cluster;

/** A start-up failure worth one line on stderr, not a stack trace. */
public final class StartupException extends RuntimeException {
  /** 2 for what the command line lacks (like a bad flag), 1 for what failed at run time. */
  private final int code;

  public StartupException(String message, Throwable cause) {
    this(message, cause, 1);
  }

  public StartupException(String message, Throwable cause, int code) {
    super(message, cause);
    this.code = code;
  }

  /** The process's exit code. */
  public int code() {
    return code;
  }
}
