package io.hoptrace.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The project's modules and their dependencies on each other, as the POMs declare them. Test-scoped
 * dependencies are kept apart: they never reach an artifact.
 */
final class ModuleGraph {
  /** One module: its artifactId, folder, packaging and the project modules it depends on. */
  record Module(String artifactId, Path folder, String packaging, List<String> dependencies, List<String> testDependencies) {}

  private final Map<String, Module> modules;

  private ModuleGraph(Map<String, Module> modules) {
    this.modules = modules;
  }

  static ModuleGraph read(Path root) {
    Map<String, Module> modules = new TreeMap<>();
    try (Stream<Path> poms = Files.walk(root)) {
      poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/") && !p.toString().contains("/.git/"))
          .map(ModuleGraph::parse)
          .forEach(m -> modules.put(m.artifactId(), m));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ModuleGraph(modules);
  }

  Map<String, Module> modules() {
    return modules;
  }

  Module module(String artifactId) {
    Module m = modules.get(artifactId);
    if (m == null) {
      throw new IllegalArgumentException("no module " + artifactId + " (modules: " + modules.keySet() + ")");
    }
    return m;
  }

  /**
   * The path of compile/runtime dependencies from {@code from} to {@code to}, if there is one (what
   * ends up on {@code from}'s class path in production).
   */
  Optional<List<String>> path(String from, String to) {
    Map<String, String> cameFrom = new LinkedHashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(from));
    cameFrom.put(from, null);
    while (!queue.isEmpty()) {
      String at = queue.removeFirst();
      if (at.equals(to) && !at.equals(from)) {
        List<String> path = new ArrayList<>();
        for (String p = at; p != null; p = cameFrom.get(p)) {
          path.add(0, p);
        }
        return Optional.of(path);
      }
      Module m = modules.get(at);
      if (m == null) {
        continue;
      }
      for (String d : m.dependencies()) {
        if (!cameFrom.containsKey(d)) {
          cameFrom.put(d, at);
          queue.addLast(d);
        }
      }
    }
    return Optional.empty();
  }

  private static Module parse(Path pom) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(false);
      Document doc = f.newDocumentBuilder().parse(pom.toFile());
      Element project = doc.getDocumentElement();
      String artifactId = child(project, "artifactId").orElseThrow();
      String packaging = child(project, "packaging").orElse("jar");
      List<String> deps = new ArrayList<>();
      List<String> testDeps = new ArrayList<>();
      Element dependencies = element(project, "dependencies");
      if (dependencies != null) {
        NodeList list = dependencies.getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
          if (list.item(i) instanceof Element d && d.getTagName().equals("dependency")
              && child(d, "groupId").orElse("").equals("io.hoptrace")) {
            String scope = child(d, "scope").orElse("compile");
            (scope.equals("test") ? testDeps : deps).add(child(d, "artifactId").orElseThrow());
          }
        }
      }
      return new Module(artifactId, pom.getParent(), packaging, deps, testDeps);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
    }
  }

  private static Element element(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e;
      }
    }
    return null;
  }

  private static Optional<String> child(Element parent, String tag) {
    Element e = element(parent, tag);
    return e == null ? Optional.empty() : Optional.of(e.getTextContent().trim());
  }
}
