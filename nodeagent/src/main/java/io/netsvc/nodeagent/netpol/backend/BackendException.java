package io.netsvc.nodeagent.netpol.backend;

/**
 * A ruleset tool failed or cannot run. The message is one line a user can act on; for a failed tool
 * it carries the tool's own stderr ({@link #toolOutput()}), which names the offending line.
 */
public class BackendException extends Exception {
  private final String toolOutput;

  public BackendException(String message) {
    this(message, "");
  }

  public BackendException(String message, String toolOutput) {
    super(message);
    this.toolOutput = toolOutput == null ? "" : toolOutput;
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
    this.toolOutput = "";
  }

  /** What the tool wrote to stderr (empty when it never ran). */
  public String toolOutput() {
    return toolOutput;
  }
}
