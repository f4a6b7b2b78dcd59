package io.netsvc.k8s.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netsvc.k8s.deploy.model.TemplateVars;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingTest {
  static final TemplateVars VARS = new TemplateVars(List.of("10.43.0.10"), "cluster.local", "");

  @TempDir Path tmp;

  @Test
  void overwritesAModifiedPackagedManifestAndLeavesUserFilesAlone() throws Exception {
    Path dir = tmp.resolve("server/manifests");
    assertThat(Staging.stage(dir, VARS, Set.of()))
        .containsExactly(dir.resolve("coredns.yaml"), dir.resolve("traefik.yaml"));
    String pristine = Files.readString(dir.resolve("coredns.yaml"));
    assertThat(pristine).contains("kubernetes cluster.local in-addr.arpa").doesNotContain("%{");

    Files.writeString(dir.resolve("coredns.yaml"), "# my edit\n");
    Files.writeString(dir.resolve("traefik-config.yaml"), "# mine\n");
    Files.writeString(dir.resolve("app.yaml"), "# mine too\n");
    Staging.stage(dir, VARS, Set.of());

    assertThat(Files.readString(dir.resolve("coredns.yaml"))).isEqualTo(pristine);
    assertThat(Files.readString(dir.resolve("traefik-config.yaml"))).isEqualTo("# mine\n");
    assertThat(Files.readString(dir.resolve("app.yaml"))).isEqualTo("# mine too\n");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "coredns.yaml",
              "traefik.yaml",
              "traefik-config.yaml",
              "app.yaml"); // no temporary file left behind
    }
  }

  @Test
  void skippedComponentsAreNotWrittenByNameOrFileName() throws Exception {
    Path dir = tmp.resolve("m");
    assertThat(Staging.stage(dir, VARS, Set.of("traefik")))
        .containsExactly(dir.resolve("coredns.yaml"));
    assertThat(dir.resolve("traefik.yaml")).doesNotExist();
    assertThat(Staging.stage(dir, VARS, Set.of("coredns.yaml", "traefik"))).isEmpty();

    Files.writeString(dir.resolve("coredns.yaml"), "# kept while skipped\n");
    Staging.stage(dir, VARS, Set.of("coredns"));
    assertThat(Files.readString(dir.resolve("coredns.yaml"))).isEqualTo("# kept while skipped\n");
  }

  @Test
  void directoryIsPrivateAndFilesAreOwnerOnly() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path dir = tmp.resolve("private/manifests");
    Staging.stage(dir, VARS, Set.of());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("traefik.yaml"))))
        .isEqualTo("rw-------");
  }
}
