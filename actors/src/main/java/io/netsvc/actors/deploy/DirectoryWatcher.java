package io.netsvc.actors.deploy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} whenever something is created, changed or deleted in the directory or in
 * one of its top-level subdirectories (K3s reads those too), from a daemon thread of its own. New
 * subdirectories are watched as they appear. The periodic rescan stays the safety net for what a
 * WatchService can miss (overflow, network file systems).
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
  private final Path dir;
  private final Runnable onChange;
  private final WatchService service;
  private final Thread thread;

  DirectoryWatcher(Path dir, Runnable onChange) throws IOException {
    this.dir = dir;
    this.onChange = onChange;
    this.service = FileSystems.getDefault().newWatchService();
    register(dir);
    try (Stream<Path> children = Files.list(dir)) {
      for (Path p : children.filter(Files::isDirectory).toList()) register(p);
    }
    this.thread = new Thread(this::run, "manifests-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void register(Path p) throws IOException {
    p.register(
        service,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        for (var event : key.pollEvents()) {
          if (event.context() instanceof Path name && dir.equals(key.watchable())) {
            Path child = dir.resolve(name);
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child)) {
              register(child);
            }
          }
        }
        key.reset();
        onChange.run();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    } catch (IOException | RuntimeException e) {
      LOG.warn("watching {} stopped; the periodic rescan goes on: {}", dir, e.toString());
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      LOG.debug("closing the watch of {}", dir, e);
    }
    thread.interrupt();
  }
}
