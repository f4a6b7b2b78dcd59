package io.netsvc.k8s.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.deploy.model.ManifestScan.Decision;
import io.netsvc.k8s.deploy.model.ManifestScan.Deploy;
import io.netsvc.k8s.deploy.model.ManifestScan.Ignore;
import io.netsvc.k8s.deploy.model.ManifestScan.Remove;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestScanTest {

  /** Decisions written compactly: deploy:PATH, remove:ADDON:PATH (or -), ignore:PATH. */
  @ParameterizedTest(name = "[{index}] {0} | disabled {1} | addons {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // manifests by extension, any case, in path order
        "b.yaml a.yml c.JSON | | | deploy:a.yml deploy:b.yaml deploy:c.JSON",
        // dotfiles, hidden directories and other extensions are left alone
        ".hidden.yaml README.md x.yaml.bak .git/x.yaml | | | "
            + "ignore:.git/x.yaml ignore:.hidden.yaml ignore:README.md ignore:x.yaml.bak",
        // X.yaml.skip (K3s) and X.skip both freeze X.yaml; other manifests are unaffected
        "traefik.yaml traefik.yaml.skip | | | ignore:traefik.yaml ignore:traefik.yaml.skip",
        "traefik.yaml traefik.skip | | | ignore:traefik.skip ignore:traefik.yaml",
        "traefik.yaml traefik-config.yaml.skip | | | "
            + "ignore:traefik-config.yaml.skip deploy:traefik.yaml",
        "sub/app.yaml app.yaml.skip | | | ignore:app.yaml.skip ignore:sub/app.yaml",
        // a disabled name removes its file's Addon; disable wins over .skip
        "coredns.yaml traefik.yaml | coredns | | remove:coredns:coredns.yaml deploy:traefik.yaml",
        "coredns.YAML coredns.yaml.skip | coredns | | "
            + "remove:coredns:coredns.YAML ignore:coredns.yaml.skip",
        // the file is gone but its Addon is still there: netsvc removes it too
        "traefik.yaml | coredns | coredns traefik | deploy:traefik.yaml remove:coredns:-",
        " | coredns traefik | traefik | remove:traefik:-",
        " | coredns | | ",
        // a disabled directory removes every manifest below it, by file name
        "metrics-server/metrics-apiservice.yaml metrics-server/README.txt metrics-server.yaml"
            + " | metrics-server | | remove:metrics-server:metrics-server.yaml"
            + " ignore:metrics-server/README.txt"
            + " remove:metrics-apiservice:metrics-server/metrics-apiservice.yaml",
        "a/b/c.yaml a/d.yaml | a/b | | remove:c:a/b/c.yaml deploy:a/d.yaml",
        // coredns.old.yaml is not coredns.yaml, but deploys Addon "coredns": never removed
        "coredns.old.yaml | coredns | coredns | deploy:coredns.old.yaml",
        "extra/app.yaml | | app | deploy:extra/app.yaml",
      })
  void decidesEachFile(String files, String disabled, String addons, String expected) {
    List<Decision> decisions =
        ManifestScan.scan(words(files), Set.copyOf(words(disabled)), Set.copyOf(words(addons)));
    String actual =
        decisions.stream().map(ManifestScanTest::compact).collect(Collectors.joining(" "));
    assertThat(actual).isEqualTo(expected == null ? "" : expected.strip());
  }

  @Test
  void ignoredFilesSayWhy() {
    List<Decision> decisions =
        ManifestScan.scan(
            List.of(".x.yaml", "notes.txt", "app.yaml", "app.yaml.skip"), Set.of(), Set.of());
    assertThat(decisions)
        .contains(
            new Ignore(".x.yaml", "hidden file"),
            new Ignore("notes.txt", "not a .yaml, .yml or .json file"),
            new Ignore("app.yaml", "frozen by app.yaml.skip"));
  }

  @Test
  void removalsCarryTheFileWhenThereIsOne() {
    assertThat(ManifestScan.scan(List.of("x/traefik.yaml"), Set.of("traefik"), Set.of("traefik")))
        .containsExactly(new Remove("traefik", Optional.of("x/traefik.yaml")));
    assertThat(ManifestScan.scan(List.of(), Set.of("traefik"), Set.of("traefik")))
        .containsExactly(new Remove("traefik", Optional.empty()));
  }

  private static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.strip().split("\\s+"));
  }

  private static String compact(Decision d) {
    if (d instanceof Deploy x) return "deploy:" + x.path();
    if (d instanceof Remove x) return "remove:" + x.addonName() + ":" + x.path().orElse("-");
    return "ignore:" + ((Ignore) d).path();
  }
}
