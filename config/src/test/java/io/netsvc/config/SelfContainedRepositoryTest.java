package io.netsvc.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository explains itself: its sources, documents, build files and scripts never point at
 * notes that someone who clones it does not have (a directory beside the checkout, numbered
 * sections of an outside reference, an outside style guide); they cite {@code docs/} instead, and
 * every {@code docs/} page they cite exists.
 */
class SelfContainedRepositoryTest {

  // Assembled from pieces, so that this file does not match its own patterns.
  private static final List<Pattern> OUTSIDE =
      List.of(
          Pattern.compile(Pattern.quote(".." + "/shared")),
          Pattern.compile(Pattern.quote("/work" + "/shared")),
          Pattern.compile("reference\\s*" + "\u00a7"),
          Pattern.compile("reference,\\s*" + "section\\s+\\d"),
          Pattern.compile("reference/" + "[\\w-]+\\.md"),
          Pattern.compile(Pattern.quote("STYLE" + ".md")));

  private static final Pattern DOCS_PAGE = Pattern.compile("docs/([\\w-]+\\.md)");

  private static final Set<String> SCANNED_EXTENSIONS =
      Set.of(".java", ".md", ".xml", ".sh", ".yaml", ".yml", ".conf", ".properties");

  /** Directories holding scripts without an extension. */
  private static final Set<String> SCRIPT_DIRS = Set.of("scripts", ".ci");

  private static final Path ROOT = repositoryRoot();

  @Test
  void nothingPointsOutsideTheRepository() {
    List<String> found = new ArrayList<>();
    for (Path file : scannedFiles()) {
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        for (Pattern p : OUTSIDE) {
          if (p.matcher(lines.get(i)).find()) {
            found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertThat(found)
        .as("lines that point at files a user who clones the repository does not have; cite docs/")
        .isEmpty();
  }

  @Test
  void everyCitedDocsPageExists() {
    List<String> missing = new ArrayList<>();
    for (Path file : scannedFiles()) {
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = DOCS_PAGE.matcher(lines.get(i));
        while (m.find()) {
          if (!Files.isRegularFile(ROOT.resolve("docs").resolve(m.group(1)))) {
            missing.add(ROOT.relativize(file) + ":" + (i + 1) + ": docs/" + m.group(1));
          }
        }
      }
    }
    assertThat(missing).as("citations of docs/ pages that do not exist").isEmpty();
  }

  @Test
  void theScanSeesTheWholeRepository() {
    List<Path> files = scannedFiles();
    assertThat(files).contains(ROOT.resolve("README.md"), ROOT.resolve("netsvc"));
    assertThat(files).contains(thisSourceFile());
    assertThat(files.stream().filter(f -> f.toString().endsWith(".java")).count())
        .isGreaterThan(100);
  }

  private static Path thisSourceFile() {
    String name = SelfContainedRepositoryTest.class.getName().replace('.', '/') + ".java";
    return ROOT.resolve("config/src/test/java").resolve(name);
  }

  /** The checkout's root: the nearest directory upwards whose pom.xml lists the modules. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom) && read(pom).contains("<modules>")) return dir;
    }
    throw new IllegalStateException("no parent pom.xml above " + Path.of("").toAbsolutePath());
  }

  private static List<Path> scannedFiles() {
    try (Stream<Path> all = Files.walk(ROOT)) {
      return all.filter(Files::isRegularFile)
          .filter(f -> !underSkippedDirectory(ROOT.relativize(f)))
          .filter(SelfContainedRepositoryTest::scanned)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Version control, build output and hidden directories (except CI scripts). */
  private static boolean underSkippedDirectory(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      String dir = relative.getName(i).toString();
      if (dir.equals("target") || (dir.startsWith(".") && !SCRIPT_DIRS.contains(dir))) {
        return true;
      }
    }
    return relative.getFileName().toString().equals(".git");
  }

  private static boolean scanned(Path file) {
    Path relative = ROOT.relativize(file);
    String name = relative.getFileName().toString();
    if (relative.getNameCount() == 1 && name.equals("netsvc")) return true;
    if (relative.getNameCount() == 2 && SCRIPT_DIRS.contains(relative.getName(0).toString())) {
      return true;
    }
    return SCANNED_EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  private static List<String> lines(Path file) {
    return read(file).lines().toList();
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
