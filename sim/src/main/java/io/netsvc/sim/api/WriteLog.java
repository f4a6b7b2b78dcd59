package io.netsvc.sim.api;

import io.vertx.core.http.HttpServerRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who wrote to the sim API and when: with the system property {@value #PROPERTY} set to a file,
 * every request other than GET appends {@code <epoch ms> <client address> <method> <uri>}. A chaos
 * test reads it to show that a server cut off from its cluster stopped writing (each server has an
 * address of its own there). Off by default: nothing is kept.
 */
final class WriteLog implements AutoCloseable {
  static final String PROPERTY = "netsvc.sim.write-log";
  private static final Logger log = LoggerFactory.getLogger(WriteLog.class);

  private final BufferedWriter out;

  private WriteLog(BufferedWriter out) {
    this.out = out;
  }

  /** The log the system property asks for, or one that records nothing. */
  static WriteLog fromSystemProperty() {
    String file = System.getProperty(PROPERTY, "").strip();
    if (file.isEmpty()) return new WriteLog(null);
    try {
      return new WriteLog(
          Files.newBufferedWriter(
              Path.of(file),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND));
    } catch (IOException e) {
      log.warn("sim API: cannot open the write log {}: {}", file, e.toString());
      return new WriteLog(null);
    }
  }

  void record(HttpServerRequest req) {
    if (out == null || "GET".equals(req.method().name())) return;
    String client = req.remoteAddress() == null ? "-" : req.remoteAddress().hostAddress();
    String line =
        System.currentTimeMillis() + " " + client + " " + req.method().name() + " " + req.uri();
    synchronized (this) {
      try {
        out.write(line);
        out.newLine();
        out.flush(); // read by another process while this one runs, and after a kill -9
      } catch (IOException e) {
        log.debug("sim API: write log: {}", e.toString());
      }
    }
  }

  @Override
  public synchronized void close() {
    if (out == null) return;
    try {
      out.close();
    } catch (IOException e) {
      log.debug("sim API: write log: {}", e.toString());
    }
  }
}
