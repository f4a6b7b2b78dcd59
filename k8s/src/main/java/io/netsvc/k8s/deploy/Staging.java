package io.netsvc.k8s.deploy;

import io.netsvc.k8s.deploy.model.TemplateVars;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the packaged manifests into the manifests directory at start-up, as K3s does on every
 * boot: always overwritten (local edits are lost, as K3s documents), never when skipped. Other
 * files in the directory (a {@code traefik-config.yaml}, user manifests) are not touched.
 */
public final class Staging {
  private static final Logger LOG = LoggerFactory.getLogger(Staging.class);

  /** The packaged manifests, as classpath resources beside this class under {@code manifests/}. */
  public static final List<String> PACKAGED = List.of("coredns.yaml", "traefik.yaml");

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private Staging() {}

  /**
   * Renders and writes every packaged manifest whose name (with or without extension) is not in
   * {@code skipped}; creates the directory (0700) if needed. Returns the files written, 0600.
   */
  public static List<Path> stage(Path manifestsDir, TemplateVars vars, Set<String> skipped) {
    List<Path> written = new ArrayList<>();
    try {
      if (POSIX) {
        Files.createDirectories(manifestsDir, perms("rwx------"));
      } else {
        Files.createDirectories(manifestsDir);
      }
      for (String name : PACKAGED) {
        if (skipped.contains(name) || skipped.contains(stem(name))) continue;
        Path target = manifestsDir.resolve(name);
        write(target, vars.render(template(name)));
        LOG.info("Writing manifest: {}", target);
        written.add(target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage manifests in " + manifestsDir, e);
    }
    return written;
  }

  /** The unrendered text of a packaged manifest. */
  public static String template(String name) {
    try (InputStream in = Staging.class.getResourceAsStream("manifests/" + name)) {
      if (in == null) throw new IllegalArgumentException("no packaged manifest " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read packaged manifest " + name, e);
    }
  }

  // Written beside the target under a dot-name (the scan ignores dotfiles) and moved over it, so a
  // concurrent pass never reads half a manifest.
  private static void write(Path target, String content) throws IOException {
    Path tmp =
        POSIX
            ? Files.createTempFile(
                target.getParent(), "." + target.getFileName(), ".tmp", perms("rw-------"))
            : Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, content);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static FileAttribute<?> perms(String mode) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
  }

  private static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
